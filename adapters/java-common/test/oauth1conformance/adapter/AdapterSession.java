package oauth1conformance.adapter;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Drives an adapter process over adapters/PROTOCOL.md for the Java adapters' tests: starts it
 * through its launcher (the system property oauth1conformance.adapter, set by javac-build.sh test),
 * sends requests, reads the answers in order, stops it.
 */
public final class AdapterSession implements AutoCloseable {
  private final Process process;
  private final Writer to;
  private final BufferedReader from;
  private final JsonObject handshake;
  private long nextId = 1;

  public AdapterSession(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("oauth1conformance.adapter"));
    command.addAll(List.of(args));
    process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    to = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    from = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    JsonObject start = new JsonObject();
    start.addProperty("cmd", "start");
    start.addProperty("protocol", 1);
    handshake = exchange(start);
  }

  /** A case of a corpus file (run from the repository root), e.g. ("vectors/oauth-net.json", "oauthnet-rsa-sha1-photos"). */
  public static JsonObject vectorCase(String file, String id) throws IOException {
    JsonObject corpus = JsonParser.parseString(Files.readString(Path.of(file))).getAsJsonObject();
    for (var element : corpus.getAsJsonArray("cases")) {
      JsonObject vector = element.getAsJsonObject();
      if (vector.get("id").getAsString().equals(id)) {
        return vector;
      }
    }
    throw new IOException(file + " has no case " + id);
  }

  /** The sign request of a corpus sign case: its inputs only. */
  public static JsonObject signRequest(JsonObject vector) {
    JsonObject message = new JsonObject();
    message.addProperty("cmd", "sign");
    message.add("request", vector.get("request"));
    message.add("oauth", vector.get("oauth"));
    message.add("secrets", vector.get("secrets"));
    return message;
  }

  public JsonObject handshake() {
    return handshake;
  }

  public JsonObject exchange(JsonObject message) throws IOException {
    to.write(message.toString());
    to.write('\n');
    to.flush();
    String line = from.readLine();
    if (line == null) {
      throw new IOException("the adapter closed its stdout");
    }
    return JsonParser.parseString(line).getAsJsonObject();
  }

  /** Sends a request with a fresh id; returns its answer, checking that the id is echoed. */
  public JsonObject request(JsonObject request) throws IOException {
    long id = nextId++;
    JsonObject message = request.deepCopy();
    message.addProperty("id", id);
    JsonObject answer = exchange(message);
    if (answer.get("id").getAsLong() != id) {
      throw new IOException("answer id " + answer.get("id") + " for request " + id);
    }
    return answer;
  }

  /** Sends stop; returns the exit status. */
  public int stop() throws IOException, InterruptedException {
    JsonObject stop = new JsonObject();
    stop.addProperty("cmd", "stop");
    JsonObject answer = exchange(stop);
    if (!answer.get("ok").getAsBoolean()) {
      throw new IOException("stop was not answered ok: " + answer);
    }
    to.close();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("the adapter did not exit after stop");
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
