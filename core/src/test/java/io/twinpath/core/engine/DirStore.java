package io.twinpath.core.engine;

import io.twinpath.core.DeviceId;
import io.twinpath.core.item.Envelope;
import io.twinpath.core.item.ItemId;
import io.twinpath.core.wire.Json;
import io.twinpath.core.wire.MalformedCommandException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** A plain directory store for engine tests: items/ID.eml + ID.json, incoming/ID.part. */
final class DirStore implements ItemStore {
  private final Path items;
  private final Path incoming;

  DirStore(Path dir) {
    this.items = dir.resolve("items");
    this.incoming = dir.resolve("incoming");
    try {
      Files.createDirectories(items);
      Files.createDirectories(incoming);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Queues a message on this device. */
  ItemMeta enqueue(DeviceId origin, Clock clock, byte[] message, String... recipients)
      throws IOException {
    ItemId id = ItemId.generate(clock);
    ItemMeta meta =
        new ItemMeta(
            id,
            Envelope.of("sender@example.org", List.of(recipients)),
            clock.instant(),
            clock.instant().plus(Duration.ofHours(1)),
            message.length,
            sha256(message),
            "<" + id + "@example.org>",
            origin);
    Files.write(items.resolve(id + ".eml"), message);
    Files.writeString(items.resolve(id + ".json"), meta.toJson().toString());
    return meta;
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Optional<ItemMeta> get(ItemId id) {
    Path f = items.resolve(id + ".json");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(ItemMeta.fromJson(Json.object(Files.readString(f))));
    } catch (IOException | MalformedCommandException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<ItemMeta> list() {
    List<ItemMeta> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(items)) {
      s.filter(p -> p.toString().endsWith(".json"))
          .forEach(
              p ->
                  get(ItemId.parse(p.getFileName().toString().replace(".json", "")))
                      .ifPresent(out::add));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public InputStream open(ItemId id) throws IOException {
    return new ByteArrayInputStream(Files.readAllBytes(items.resolve(id + ".eml")));
  }

  @Override
  public void delete(ItemId id) throws IOException {
    Files.deleteIfExists(items.resolve(id + ".json"));
    Files.deleteIfExists(items.resolve(id + ".eml"));
    Files.deleteIfExists(incoming.resolve(id + ".part"));
  }

  /** Number of files holding any bytes of any item (complete or partial). */
  long filesHeld() throws IOException {
    try (Stream<Path> a = Files.list(items);
        Stream<Path> b = Files.list(incoming)) {
      return a.count() + b.count();
    }
  }

  @Override
  public CopySink beginCopy(ItemMeta meta) throws IOException {
    Path part = incoming.resolve(meta.id() + ".part");
    if (!Files.exists(part)) {
      Files.createFile(part);
    }
    return new CopySink() {
      @Override
      public long received() {
        try {
          return Files.size(part);
        } catch (IOException e) {
          return 0;
        }
      }

      @Override
      public void append(long offset, byte[] chunk) throws IOException {
        long have = received();
        if (offset > have) {
          throw new IOException("gap at " + offset + ", have " + have);
        }
        int skip = (int) (have - offset);
        if (skip >= chunk.length) {
          return;
        }
        Files.write(
            part,
            java.util.Arrays.copyOfRange(chunk, skip, chunk.length),
            StandardOpenOption.APPEND);
      }

      @Override
      public ItemMeta complete() throws IOException {
        byte[] all = Files.readAllBytes(part);
        if (all.length != meta.size() || !sha256(all).equals(meta.sha256())) {
          Files.write(part, new byte[0]);
          throw new IOException("size or sha256 mismatch");
        }
        Files.write(items.resolve(meta.id() + ".eml"), all);
        Files.writeString(
            items.resolve(meta.id() + ".json"), meta.toJson().toString(), StandardCharsets.UTF_8);
        Files.delete(part);
        return meta;
      }
    };
  }
}
