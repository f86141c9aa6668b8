package io.twinpath.dongle.internal;

import static io.twinpath.dongle.internal.ConfigChecks.emptyToNull;
import static io.twinpath.dongle.internal.ConfigChecks.optionalPath;
import static io.twinpath.dongle.internal.DongleKeys.BROKER_ADDRESS;
import static io.twinpath.dongle.internal.DongleKeys.BROKER_MAX_MESSAGE_SIZE;
import static io.twinpath.dongle.internal.DongleKeys.BROKER_PORT;
import static io.twinpath.dongle.internal.DongleKeys.BROKER_TLS_PORT;

import io.twinpath.core.config.Secret;
import io.twinpath.core.config.SettingException;
import io.twinpath.dongle.DongleConfig.Broker;
import io.twinpath.dongle.DongleConfig.BrokerMode;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code broker} section: the embedded broker's listeners and key store, or an external
 * broker's URL, with the checks across its keys.
 */
public final class BrokerSection {
  private BrokerSection() {}

  /** The broker the settings describe. */
  public static Broker broker(ConfigReader r) {
    String spec = r.get("broker");
    String username = emptyToNull(r.get("broker.username"));
    Secret password = r.secret("broker.password");
    if (password != null && username == null) {
      throw r.reject("broker.username", "broker.password is set, so a user name is needed too");
    }
    int maxMessage = (int) (long) r.value(BROKER_MAX_MESSAGE_SIZE);
    Path truststore = optionalPath(r, "broker.tls.truststore");
    Secret truststorePassword = r.secret("broker.tls.truststore-password");
    if ("embedded".equalsIgnoreCase(spec)) {
      InetAddress address = r.value(BROKER_ADDRESS);
      int port = r.value(BROKER_PORT);
      int tlsPort = r.value(BROKER_TLS_PORT);
      Path keystore = optionalPath(r, "broker.tls.keystore");
      Secret keystorePassword = r.secret("broker.tls.keystore-password");
      if (tlsPort >= 0 && keystore == null) {
        throw r.reject(
            "broker.tls.keystore",
            "broker.tls.port is set, so name a PKCS12 or JKS key store holding the broker's"
                + " certificate and key");
      }
      if (keystore != null && tlsPort < 0) {
        throw r.reject(
            "broker.tls.port", "broker.tls.keystore is set, so give the TLS port, e.g. 8883");
      }
      if (keystore != null && !Files.isReadable(keystore)) {
        throw r.reject("broker.tls.keystore", "name a readable key store file");
      }
      if (keystore != null && keystorePassword == null) {
        throw r.reject("broker.tls.keystore-password", "the key store needs its password");
      }
      if (port < 0 && tlsPort < 0) {
        throw new SettingException(
                "broker.port", "off", "keep the plain port or set broker.tls.port; one must listen")
            .at(r.source("broker.port"));
      }
      String host = address.getHostAddress();
      if (address.isAnyLocalAddress()) {
        host = "127.0.0.1";
      } else if (host.contains(":")) {
        host = "[" + host + "]";
      }
      String url = port >= 0 ? "tcp://" + host + ":" + port : "ssl://" + host + ":" + tlsPort;
      return new Broker(
          BrokerMode.EMBEDDED,
          url,
          address,
          port,
          tlsPort,
          keystore,
          keystorePassword,
          truststore,
          truststorePassword,
          username,
          password,
          maxMessage);
    }
    String accepted =
        "use embedded, or an external broker's URL like tcp://192.168.7.1:1883 or"
            + " ssl://broker.example.org:8883";
    URI uri;
    try {
      uri = new URI(spec);
    } catch (URISyntaxException e) {
      throw r.reject("broker", accepted);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("tcp") || scheme.equals("ssl"))
        || uri.getHost() == null
        || uri.getPort() < 1
        || (uri.getPath() != null && !uri.getPath().isEmpty())
        || uri.getUserInfo() != null) {
      throw r.reject("broker", accepted);
    }
    for (String embeddedOnly :
        List.of("broker.port", "broker.tls.port", "broker.tls.keystore", "broker.address")) {
      if (r.isSet(embeddedOnly)) {
        throw r.reject(embeddedOnly, "it applies only when broker = embedded");
      }
    }
    return new Broker(
        BrokerMode.EXTERNAL,
        spec,
        InetAddress.getLoopbackAddress(),
        -1,
        -1,
        null,
        null,
        truststore,
        truststorePassword,
        username,
        password,
        maxMessage);
  }
}
