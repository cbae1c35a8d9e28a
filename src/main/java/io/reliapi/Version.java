package io.reliapi;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into the jar at build time. */
final class Version implements IVersionProvider {

  static String current() {
    try (InputStream in = Version.class.getResourceAsStream("/reliapi-version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"reliapi " + current() + " (Java " + Runtime.version().feature() + ")"};
  }
}
