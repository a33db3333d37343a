package graft.testing;

import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.Recipient;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Builds SDK message models for tests. */
public final class TestMail {
    private TestMail() {
    }

    public static Recipient recipient(String address) {
        EmailAddress e = new EmailAddress();
        e.setAddress(address);
        Recipient r = new Recipient();
        r.setEmailAddress(e);
        return r;
    }

    public static List<Recipient> recipients(String... addresses) {
        return Arrays.stream(addresses).map(TestMail::recipient).toList();
    }

    public static Message message(String subject, String... to) {
        Message m = new Message();
        m.setSubject(subject);
        ItemBody body = new ItemBody();
        body.setContentType(BodyType.Text);
        body.setContent("Body of " + subject);
        m.setBody(body);
        m.setToRecipients(recipients(to));
        return m;
    }

    /** A subject no other test uses, so a search by subject finds only this test's messages. */
    public static String unique(String prefix) {
        return prefix + " " + UUID.randomUUID().toString().substring(0, 8);
    }
}
