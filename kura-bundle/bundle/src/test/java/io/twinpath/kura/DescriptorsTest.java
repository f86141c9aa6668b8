package io.twinpath.kura;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinpath.core.config.Setting;
import io.twinpath.kura.internal.KuraSettings;
import io.twinpath.secondary.SettingsTable;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The DS and metatype descriptors agree with each other, with the PID and with the code. */
class DescriptorsTest {
  private static Document parse(String resource) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    try (InputStream in = DescriptorsTest.class.getResourceAsStream("/" + resource)) {
      assertThat(in).as(resource).isNotNull();
      return f.newDocumentBuilder().parse(in);
    }
  }

  @Test
  void componentNameIsThePidAndFollowsKurasRules() throws Exception {
    Element c = parse("OSGI-INF/" + TwinpathKura.PID + ".xml").getDocumentElement();
    assertThat(c.getNamespaceURI())
        .as("DS 1.2 keeps service.pid a String and runs on Felix SCR 2.1.16")
        .isEqualTo("http://www.osgi.org/xmlns/scr/v1.2.0");
    assertThat(c.getAttribute("name")).isEqualTo(TwinpathKura.PID);
    assertThat(c.getAttribute("configuration-policy")).isEqualTo("require");
    assertThat(c.getAttribute("immediate")).isEqualTo("true");
    assertThat(c.getAttribute("modified")).isEqualTo("updated");
    Element provide = (Element) c.getElementsByTagName("provide").item(0);
    assertThat(provide.getAttribute("interface"))
        .isEqualTo("org.eclipse.kura.configuration.ConfigurableComponent");
    Element ref = (Element) c.getElementsByTagName("reference").item(0);
    assertThat(ref.getAttribute("interface")).isEqualTo("org.eclipse.kura.crypto.CryptoService");
    assertThat(ref.getAttribute("cardinality")).isEqualTo("1..1");
    assertThat(ref.getAttribute("policy")).isEqualTo("static");
    Element property = (Element) c.getElementsByTagName("property").item(0);
    assertThat(property.getAttribute("name")).isEqualTo("service.pid");
    assertThat(property.getAttribute("value")).isEqualTo(TwinpathKura.PID);
  }

  @Test
  void metatypeFileOcdAndDesignateMatchThePidAndListEverySetting() throws Exception {
    Document d = parse("OSGI-INF/metatype/" + TwinpathKura.PID + ".xml");
    Element ocd = (Element) d.getElementsByTagNameNS("*", "OCD").item(0);
    assertThat(ocd.getAttribute("id")).isEqualTo(TwinpathKura.PID);
    Element designate = (Element) d.getElementsByTagNameNS("*", "Designate").item(0);
    assertThat(designate.getAttribute("pid")).isEqualTo(TwinpathKura.PID);
    Element object = (Element) designate.getElementsByTagNameNS("*", "Object").item(0);
    assertThat(object.getAttribute("ocdref")).isEqualTo(TwinpathKura.PID);

    Map<String, String> types = new LinkedHashMap<>();
    NodeList ads = ocd.getElementsByTagNameNS("*", "AD");
    for (int i = 0; i < ads.getLength(); i++) {
      Element ad = (Element) ads.item(i);
      types.put(ad.getAttribute("id"), ad.getAttribute("type"));
      assertThat(ad.getAttribute("name")).isEqualTo(ad.getAttribute("id"));
      assertThat(ad.getAttribute("description")).as(ad.getAttribute("id")).isNotBlank();
      if (ad.getAttribute("default").isEmpty()) {
        // Kura creates no key for an empty default: such a setting must be optional
        assertThat(ad.getAttribute("required")).as(ad.getAttribute("id")).isEqualTo("false");
      }
    }
    assertThat(types.keySet()).containsExactlyElementsOf(KuraSettings.KEYS.keySet());
    KuraSettings.KEYS.forEach(
        (key, type) ->
            assertThat(types.get(key))
                .as(key)
                .isEqualTo(
                    switch (type) {
                      case STRING -> "String";
                      case INTEGER -> "Integer";
                      case BOOLEAN -> "Boolean";
                      case PASSWORD -> "Password";
                    }));
  }

  @Test
  void everyFieldOfTheFormMatchesTheSettingsTable() throws Exception {
    Document d = parse("OSGI-INF/metatype/" + TwinpathKura.PID + ".xml");
    Map<String, Setting<?>> form = new LinkedHashMap<>();
    KuraSettings.FORM.forEach(s -> form.put(s.key(), s));
    List<String> ids = new ArrayList<>();
    NodeList ads = d.getElementsByTagNameNS("*", "AD");
    for (int i = 0; i < ads.getLength(); i++) {
      Element ad = (Element) ads.item(i);
      String id = ad.getAttribute("id");
      ids.add(id);
      Setting<?> s = form.get(id);
      assertThat(s).as("%s is a setting of the table", id).isNotNull();
      assertThat(SettingsTable.find(id)).as(id).isPresent();
      assertThat(ad.getAttribute("default"))
          .as("default of %s", id)
          .isEqualTo(s.defaultText().orElse(""));
      assertThat(ad.getAttribute("type"))
          .as("type of %s", id)
          .isEqualTo(
              switch (KuraSettings.type(s)) {
                case STRING -> "String";
                case INTEGER -> "Integer";
                case BOOLEAN -> "Boolean";
                case PASSWORD -> "Password";
              });
      List<String> options = new ArrayList<>();
      NodeList os = ad.getElementsByTagNameNS("*", "Option");
      for (int j = 0; j < os.getLength(); j++) {
        options.add(((Element) os.item(j)).getAttribute("value"));
      }
      assertThat(options)
          .as("options of %s", id)
          .containsExactlyInAnyOrderElementsOf(s.parser().options());
      assertThat(ad.getAttribute("min"))
          .as("min of %s", id)
          .isEqualTo(
              s.parser().min().isPresent() ? Long.toString(s.parser().min().getAsLong()) : "");
      assertThat(ad.getAttribute("max"))
          .as("max of %s", id)
          .isEqualTo(
              s.parser().max().isPresent() ? Long.toString(s.parser().max().getAsLong()) : "");
    }
    assertThat(ids)
        .as("every setting of the table, in table order")
        .containsExactlyElementsOf(SettingsTable.keys());
  }
}
