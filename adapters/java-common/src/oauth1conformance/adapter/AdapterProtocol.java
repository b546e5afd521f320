package oauth1conformance.adapter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The protocol loop of adapters/PROTOCOL.md (version 1), shared by the Java adapters. An adapter
 * supplies its identity, capabilities and one {@link Handler} per operation; a handler returns the
 * {@code result} object, or throws {@link Rejected} (the library refused the input), {@link
 * Unsupported} (the input cannot be expressed through the library's API) or {@link Crashed} (the
 * library crashed on the input). Anything else it throws is an adapter failure, answered as
 * {@code error}. stdout carries protocol lines only: the
 * loop keeps the process's real stdout for itself and points {@code System.out} at stderr, so a
 * library that prints cannot corrupt the stream.
 */
public final class AdapterProtocol {
  public static final int PROTOCOL = 1;

  /** One operation (sign, parse_header, verify): the request in, the {@code result} out. */
  @FunctionalInterface
  public interface Handler {
    JsonObject handle(JsonObject request) throws Exception;
  }

  /** The library refused the input: answered {@code rejected}, a result judged against the case. */
  public static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    public final String reason;

    public Rejected(String message, String reason) {
      super(message);
      this.reason = reason;
    }

    public Rejected(String message) {
      this(message, null);
    }
  }

  /** The input cannot be expressed through the library's API: {@code unsupported} (the case is skipped, with why). */
  public static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    public Unsupported(String message) {
      super(message);
    }
  }

  /** The library crashed on the input (an exception outside its error types): {@code crashed}, a finding. */
  public static final class Crashed extends Exception {
    private static final long serialVersionUID = 1L;

    public Crashed(String message) {
      super(message);
    }
  }

  /** A library call that may throw: whatever it throws is its refusal of the input. */
  @FunctionalInterface
  public interface LibraryCall<T> {
    T call() throws Exception;
  }

  /**
   * Runs a library call. What it throws names the call and the exception's class, and is one of:
   * a {@link Rejected} for a refusal (a checked exception, the library's declared failure, or the
   * unchecked exceptions Java APIs throw on purpose to refuse an argument or a state:
   * IllegalArgumentException, IllegalStateException, UnsupportedOperationException); a {@link
   * Crashed} for anything else (a NullPointerException, an index out of bounds, a stack
   * overflow), which no API throws as its answer.
   */
  public static <T> T library(String what, LibraryCall<T> call) throws Rejected, Crashed {
    try {
      return call.call();
    } catch (Exception | StackOverflowError e) {
      if (isRefusal(e)) {
        throw new Rejected(what + " threw " + describe(e));
      }
      throw new Crashed(what + " threw " + describe(e));
    }
  }

  /** Whether a library's throwable is its refusal of the input rather than a crash (see {@link #library}). */
  static boolean isRefusal(Throwable e) {
    return (e instanceof Exception && !(e instanceof RuntimeException))
        || e instanceof IllegalArgumentException
        || e instanceof IllegalStateException
        || e instanceof UnsupportedOperationException;
  }

  /** The exception's class and message, and its causes' ("X: m (caused by Y: n)"). */
  public static String describe(Throwable e) {
    StringBuilder out = new StringBuilder();
    int causes = 0;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t != e) {
        out.append(" (caused by ");
        causes++;
      }
      out.append(t.getClass().getName());
      if (t.getMessage() != null) {
        out.append(": ").append(t.getMessage());
      }
    }
    return out.append(")".repeat(causes)).toString();
  }

  /** A string member, or null when absent or JSON null. */
  public static String string(JsonObject object, String key) {
    if (object == null) {
      return null;
    }
    JsonElement value = object.get(key);
    return value == null || value.isJsonNull() ? null : value.getAsString();
  }

  public static JsonObject object(JsonObject parent, String key) {
    JsonElement value = parent == null ? null : parent.get(key);
    return value != null && value.isJsonObject() ? value.getAsJsonObject() : new JsonObject();
  }

  public static boolean flag(JsonObject object, String key) {
    JsonElement value = object == null ? null : object.get(key);
    return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean() && value.getAsBoolean();
  }

  private final String name;
  private final String version;
  private final JsonObject capabilities;
  private final Map<String, Handler> handlers;
  private final Gson gson = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

  public AdapterProtocol(String name, String version, JsonObject capabilities, Map<String, Handler> handlers) {
    this.name = name;
    this.version = version;
    this.capabilities = capabilities;
    this.handlers = handlers;
  }

  /** Serves stdin until {@code stop} or end of file; returns the exit status. */
  public int run() throws IOException {
    Writer out = new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8);
    System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject message;
      try {
        JsonElement parsed = JsonParser.parseString(line);
        if (!parsed.isJsonObject()) {
          throw new IllegalArgumentException("not an object");
        }
        message = parsed.getAsJsonObject();
      } catch (RuntimeException e) {
        System.err.println(name + " adapter: ignoring a line that is not a JSON object: " + e.getMessage());
        continue;
      }
      String cmd = string(message, "cmd");
      if ("stop".equals(cmd)) {
        JsonObject ok = new JsonObject();
        ok.addProperty("ok", true);
        write(out, ok);
        return 0;
      }
      if ("start".equals(cmd)) {
        write(out, handshake(message));
        continue;
      }
      JsonElement id = message.get("id");
      if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isNumber()) {
        System.err.println(name + " adapter: ignoring a request without an integer id");
        continue;
      }
      JsonObject answer = answer(cmd, message);
      answer.add("id", new JsonPrimitive(id.getAsLong()));
      // Flushed only when no further request is already buffered: the harness pipelines, so a
      // burst is answered with one write, and nothing is held while the loop waits for input.
      writeLine(out, answer);
      if (!in.ready()) {
        out.flush();
      }
    }
    out.flush();
    return 0;
  }

  private JsonObject answer(String cmd, JsonObject message) {
    JsonObject answer = new JsonObject();
    Handler handler = cmd == null ? null : handlers.get(cmd);
    if (handler == null) {
      answer.add("error", error("unsupported command " + gson.toJson(message.get("cmd")), null));
      return answer;
    }
    try {
      answer.add("result", handler.handle(message));
    } catch (Rejected e) {
      JsonObject rejected = new JsonObject();
      rejected.add("reason", e.reason == null ? JsonNull.INSTANCE : new JsonPrimitive(e.reason));
      rejected.addProperty("message", e.getMessage());
      answer.add("rejected", rejected);
    } catch (Unsupported e) {
      answer.add("unsupported", said(e.getMessage()));
    } catch (Crashed e) {
      answer.add("crashed", said(e.getMessage()));
    } catch (Exception | StackOverflowError | OutOfMemoryError e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      answer.add("error", error("adapter failed: " + describe(e), trace.toString()));
    }
    return answer;
  }

  private static JsonObject said(String message) {
    JsonObject said = new JsonObject();
    said.addProperty("message", message);
    return said;
  }

  private static JsonObject error(String message, String context) {
    JsonObject error = new JsonObject();
    error.addProperty("message", message);
    if (context != null) {
      error.addProperty("context", context);
    }
    return error;
  }

  private JsonObject handshake(JsonObject message) {
    JsonObject answer = new JsonObject();
    JsonElement protocol = message.get("protocol");
    if (protocol == null || !protocol.isJsonPrimitive() || !protocol.getAsJsonPrimitive().isNumber()
        || protocol.getAsInt() != PROTOCOL) {
      answer.addProperty("ok", false);
      answer.addProperty("error", "this adapter speaks protocol " + PROTOCOL + ", not " + protocol);
      return answer;
    }
    JsonObject implementation = new JsonObject();
    implementation.addProperty("name", name);
    implementation.addProperty("version", version);
    implementation.addProperty("language", "java");
    implementation.add("capabilities", capabilities);
    answer.addProperty("ok", true);
    answer.addProperty("protocol", PROTOCOL);
    answer.add("implementation", implementation);
    return answer;
  }

  private void write(Writer out, JsonObject message) throws IOException {
    writeLine(out, message);
    out.flush();
  }

  private void writeLine(Writer out, JsonObject message) throws IOException {
    out.write(gson.toJson(message));
    out.write('\n');
  }
}
