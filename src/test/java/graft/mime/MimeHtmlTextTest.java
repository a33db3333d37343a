package graft.mime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The plain-text alternative of an HTML body. */
class MimeHtmlTextTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            <p>one</p><p>two</p>                                          | one\\ntwo\\n
            <ul><li>one</li><LI class=x>two</ul>                          | - one\\n\\n- two\\n
            a<br>b<BR/>c<br />d                                           | a\\nb\\nc\\nd\\n
            <h1>Title</h1 ><pre>code</pre><blockquote>q</blockquote>      | Title\\ncode\\nq\\n
            <SCRIPT type=x>alert(1)</script >after                        | after\\n
            <head><title>T</title><style>p{}</style></head>body           | body\\n
            <header>kept</header>                                         | kept\\n
            <scripted>kept</scripted>                                     | kept\\n
            a<!-- <p>hidden</p> -->b                                      | ab\\n
            &lt;&#65;&#x42;&euro;&AMP; &bogus; &#0; &#12345678; &abcdefghi; | <AB€& &bogus; \ufffd &#12345678; &abcdefghi;\\n
            `a \\n\\n   b`                                                | a b\\n
            a<br><br><br><br>b                                            | a\\n\\nb\\n
            a &#10; &#10; b                                               | a\\n\\nb\\n
            a < b and c                                                   | a < b and c\\n
            <li>x<li\u0301>y                                              | - xy\\n
            `  `                                                          | \\n
            """)
    void readableTextFromHtml(String html, String expected) {
        assertThat(HtmlText.of(html.translateEscapes())).isEqualTo(expected.translateEscapes());
    }
}
