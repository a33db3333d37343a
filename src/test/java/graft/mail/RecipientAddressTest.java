package graft.mail;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The address check a send makes before Exchange would resolve a recipient. */
class RecipientAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"bob@contoso.test", "a@b", "first.last+tag@sub-1.example.com", "o'neil@x.io", "x@1.2.3.4",
            "UPPER@EXAMPLE.COM", "a_b%c@d-e.f"})
    void accepts(String address) {
        assertTrue(Sending.isAddress(address), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@", "bob", "bob@", "@contoso.test", "bob@@contoso.test", "bob@contoso..test", "bob@contoso.test.",
            "bob@.contoso.test", "bob@-contoso.test", "bob@contoso-.test", "bo b@contoso.test", "bob@conto so.test",
            "\"bob\"@contoso.test", "<bob@contoso.test>", "bob,eve@contoso.test", "bob;@contoso.test", "bob:x@contoso.test",
            "bo\\b@contoso.test", "bob\r\n@contoso.test", "bob@contoso.test\r\nRCPT TO:<x@y>", "bob@contoso_test.com",
            "bob@bücher.de", "bob\t@contoso.test", "(bob)@contoso.test", "[bob]@contoso.test"})
    void refuses(String address) {
        assertFalse(Sending.isAddress(address), address);
    }
}
