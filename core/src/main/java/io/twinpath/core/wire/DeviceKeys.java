package io.twinpath.core.wire;

import io.twinpath.core.DeviceId;
import io.twinpath.core.wire.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * A device's Ed25519 key pair, kept in its data directory: {@code device.key} (PKCS#8, readable by
 * the owner only) and {@code device.pub} (X.509, base64 on one line). Created on first use. The
 * private key never leaves this object: not in {@link #toString()}, not in logs.
 */
public final class DeviceKeys {
  /** The length of an Ed25519 signature. */
  public static final int SIGNATURE_BYTES = 64;

  static final String ALGORITHM = "Ed25519";
  private static final String PRIVATE_FILE = "device.key";
  private static final String PUBLIC_FILE = "device.pub";

  private final DeviceId device;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;

  private DeviceKeys(DeviceId device, PrivateKey privateKey, PublicKey publicKey) {
    this.device = device;
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /**
   * Loads the key pair from {@code dir}, or generates and stores one when there is none.
   *
   * @throws IOException when the files cannot be read or written, or hold no valid key
   */
  public static DeviceKeys loadOrCreate(Path dir, DeviceId device) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Path priv = dir.resolve(PRIVATE_FILE);
    Path pub = dir.resolve(PUBLIC_FILE);
    try {
      KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
      if (Files.exists(priv) && Files.exists(pub)) {
        byte[] privBytes = Base64.getDecoder().decode(Files.readString(priv).trim());
        byte[] pubBytes = Base64.getDecoder().decode(Files.readString(pub).trim());
        return new DeviceKeys(
            device,
            factory.generatePrivate(new PKCS8EncodedKeySpec(privBytes)),
            factory.generatePublic(new X509EncodedKeySpec(pubBytes)));
      }
      KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
      AtomicFiles.write(
          priv,
          (Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n")
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII),
          true,
          true);
      AtomicFiles.write(
          pub,
          (Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n")
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII),
          true,
          false);
      return new DeviceKeys(device, pair.getPrivate(), pair.getPublic());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(
          "the device key in "
              + dir
              + " is not a valid Ed25519 key pair; move "
              + PRIVATE_FILE
              + " and "
              + PUBLIC_FILE
              + " away to create a new one (and pair again)",
          e);
    }
  }

  public DeviceId device() {
    return device;
  }

  /** The public key, X.509 encoded, in base64: what a peer trusts when pairing. */
  public String publicKeyBase64() {
    return Base64.getEncoder().encodeToString(publicKey.getEncoded());
  }

  /** The short fingerprint of the public key, for a person to compare. */
  public String fingerprint() {
    return Fingerprint.of(publicKey.getEncoded());
  }

  /** Signs {@code data} with the device's private key. */
  public byte[] sign(byte[] data) {
    return sign(data, 0, data.length);
  }

  /** Signs {@code len} bytes of {@code data} from {@code off} with the device's private key. */
  public byte[] sign(byte[] data, int off, int len) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(privateKey);
      s.update(data, off, len);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** Verifies an Ed25519 signature over {@code data} with an X.509-encoded public key. */
  static boolean verify(PublicKey key, byte[] data, byte[] signature) {
    return verify(key, data, 0, data.length, signature, 0);
  }

  /** Verifies a 64-byte signature at {@code sigOff} over {@code len} bytes at {@code off}. */
  static boolean verify(
      PublicKey key, byte[] data, int off, int len, byte[] signature, int sigOff) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(data, off, len);
      return s.verify(signature, sigOff, SIGNATURE_BYTES);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  static PublicKey decodePublic(String base64) throws GeneralSecurityException {
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IllegalArgumentException e) {
      throw new java.security.spec.InvalidKeySpecException("not base64", e);
    }
  }

  @Override
  public String toString() {
    return "DeviceKeys[" + device + ", " + fingerprint() + "]";
  }
}
