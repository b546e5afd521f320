package oauth1conformance.adapter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.security.GeneralSecurityException;
import org.junit.Test;

/** Which library throwables are refusals (answered rejected) and which are crashes (crashed). */
public class AdapterProtocolTest {
  private static String outcome(Exception thrown) {
    try {
      AdapterProtocol.library("call", () -> {
        throw thrown;
      });
      fail("the call threw");
    } catch (AdapterProtocol.Rejected e) {
      return "rejected: " + e.getMessage();
    } catch (AdapterProtocol.Crashed e) {
      return "crashed: " + e.getMessage();
    }
    return null;
  }

  @Test
  public void checkedExceptionsAndDeliberateRefusalsAreRejections() {
    assertEquals("rejected: call threw java.io.IOException: no", outcome(new IOException("no")));
    assertTrue(outcome(new GeneralSecurityException("key")).startsWith("rejected: "));
    assertTrue(outcome(new IllegalArgumentException("bad url")).startsWith("rejected: "));
    assertTrue(outcome(new NumberFormatException("x")).startsWith("rejected: "));
    assertTrue(outcome(new IllegalStateException("x")).startsWith("rejected: "));
  }

  @Test
  public void otherUncheckedExceptionsAreCrashes() {
    assertEquals("crashed: call threw java.lang.NullPointerException: n", outcome(new NullPointerException("n")));
    assertTrue(outcome(new ArrayIndexOutOfBoundsException(3)).startsWith("crashed: "));
    assertTrue(outcome(new ClassCastException()).startsWith("crashed: "));
    assertTrue(outcome(new RuntimeException(new IOException("wrapped"))).startsWith("crashed: "));
  }
}
