package io.twinpath.host.internal.status;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The finished items, newest last, one JSON object a line in {@code outcomes.jsonl}: what was
 * delivered or failed, when, over which device's path, with the server's reply. {@code status}
 * shows the most recent ones. Kept to a bounded number of lines.
 */
public final class OutcomeJournal {
  /** Lines kept after compaction. */
  static final int KEEP = 200;

  private static final Gson GSON = new Gson();

  private final Path file;
  private int appendedSinceCompact;

  public OutcomeJournal(Path file) {
    this.file = file;
  }

  /** Appends one outcome and forces it to disk. */
  public synchronized void append(JsonObject outcome) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] line = (outcome + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ch.write(java.nio.ByteBuffer.wrap(line));
      ch.force(true);
    }
    if (++appendedSinceCompact >= KEEP) {
      compact();
      appendedSinceCompact = 0;
    }
  }

  /** The last {@code n} outcomes, newest first. Lines that are not JSON are skipped. */
  public synchronized List<JsonObject> recent(int n) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<JsonObject> out = new ArrayList<>();
    for (int i = lines.size() - 1; i >= 0 && out.size() < n; i--) {
      try {
        JsonObject o = GSON.fromJson(lines.get(i), JsonObject.class);
        if (o != null) {
          out.add(o);
        }
      } catch (JsonParseException e) {
        // a line torn by a crash: skip it
      }
    }
    return Collections.unmodifiableList(out);
  }

  private void compact() throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.size() <= KEEP) {
      return;
    }
    List<String> keep = lines.subList(lines.size() - KEEP, lines.size());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, (String.join("\n", keep) + "\n").getBytes(StandardCharsets.UTF_8));
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
