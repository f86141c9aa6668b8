package io.twinpath.kura.it.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.kura.KuraErrorCode;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.crypto.CryptoService;

/**
 * AES-GCM under a fixed test key, base64 of nonce and cipher text: like Kura, a stored password is
 * unreadable without the service. Counts decryptions so tests can see the component used it.
 */
public final class StandInCrypto implements CryptoService {
  private static final byte[] KEY =
      "twinpath-test-key-0123456789abcd".getBytes(StandardCharsets.UTF_8);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AtomicInteger decryptions = new AtomicInteger();

  /** How many values were decrypted (tests read it reflectively across class loaders). */
  public int decryptions() {
    return decryptions.get();
  }

  @Override
  public char[] encryptAes(char[] value) throws KuraException {
    try {
      byte[] nonce = new byte[12];
      RANDOM.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, nonce));
      ByteBuffer plain = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
      byte[] p = Arrays.copyOf(plain.array(), plain.limit());
      byte[] ct = c.doFinal(p);
      byte[] out = new byte[nonce.length + ct.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(ct, 0, out, nonce.length, ct.length);
      return Base64.getEncoder().encodeToString(out).toCharArray();
    } catch (GeneralSecurityException e) {
      throw new KuraException(KuraErrorCode.ENCODE_ERROR, e);
    }
  }

  @Override
  public char[] decryptAes(char[] encryptedValue) throws KuraException {
    try {
      byte[] in = Base64.getDecoder().decode(new String(encryptedValue));
      if (in.length < 12 + 16) {
        throw new KuraException(KuraErrorCode.DECODER_ERROR);
      }
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, in, 0, 12));
      byte[] plain = c.doFinal(in, 12, in.length - 12);
      decryptions.incrementAndGet();
      return StandardCharsets.UTF_8.decode(ByteBuffer.wrap(plain)).toString().toCharArray();
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new KuraException(KuraErrorCode.DECODER_ERROR, e);
    }
  }
}
