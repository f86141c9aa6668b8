package io.twinpath.core.spool.internal;

import io.twinpath.core.item.ItemId;
import io.twinpath.core.item.OutboundItem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Reads the entries of a spool directory as they are found on disk when it opens. */
final class SpoolEntries {
  private SpoolEntries() {}

  /** Why an entry cannot be used; the message is the reason recorded with its quarantine. */
  static final class EntryException extends Exception {
    private static final long serialVersionUID = 1L;

    EntryException(String message) {
      super(message);
    }
  }

  static OutboundItem read(Path p) throws EntryException {
    if (!Files.isDirectory(p)) {
      throw new EntryException("not a directory");
    }
    String fileName = p.getFileName().toString();
    ItemId id;
    try {
      id = ItemId.parse(fileName);
    } catch (IllegalArgumentException e) {
      throw new EntryException("the name is not an item id: " + e.getMessage());
    }
    Path meta = p.resolve(FileSpool.META);
    if (!Files.isRegularFile(meta)) {
      throw new EntryException(FileSpool.META + " is missing");
    }
    if (!Files.isRegularFile(p.resolve(FileSpool.MESSAGE))) {
      throw new EntryException(FileSpool.MESSAGE + " is missing");
    }
    OutboundItem item;
    try {
      item = OutboundItem.fromJson(Files.readString(meta, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      throw new EntryException(FileSpool.META + " is unreadable: " + firstLine(e.getMessage()));
    }
    if (!item.id().equals(id)) {
      throw new EntryException(FileSpool.META + " describes item " + item.id() + ", not " + id);
    }
    return item;
  }

  static String firstLine(@Nullable String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  static List<Path> list(Path d) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
      for (Path p : s) {
        out.add(p);
      }
    }
    out.sort(null);
    return out;
  }
}
