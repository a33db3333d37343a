package graft.mail;

import graft.http.GraphError;
import graft.http.ODataPath.Segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A resource path segment with its key attached, and action names stripped of their namespace. */
record Step(String name, String written, String key) {
    /** Segments that name a collection: a plain segment after one of them is its key. */
    private static final Set<String> COLLECTIONS = Set.of("users", "messages", "mailfolders", "childfolders", "attachments");

    static List<Step> of(List<Segment> segments) {
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            String name = s.name().startsWith("microsoft.graph.") ? s.name().substring("microsoft.graph.".length()) : s.name();
            String key = s.key();
            if (key == null && COLLECTIONS.contains(name) && i + 1 < segments.size()) {
                key = segments.get(++i).written();
            }
            out.add(new Step(name, s.written(), key));
        }
        return out;
    }

    /** Refuses segments beyond the first {@code size}: they name nothing here. */
    static void end(List<Step> rest, int size) {
        if (rest.size() > size) {
            throw GraphError.segmentNotFound(rest.get(size).written());
        }
    }
}
