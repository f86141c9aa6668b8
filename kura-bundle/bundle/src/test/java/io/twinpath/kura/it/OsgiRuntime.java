package io.twinpath.kura.it;

import static org.awaitility.Awaitility.await;

import io.twinpath.kura.it.crypto.StandInCrypto;
import io.twinpath.kura.it.crypto.StandInCryptoActivator;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.eclipse.kura.crypto.CryptoService;
import org.jspecify.annotations.Nullable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * A Kura-like OSGi runtime in the test JVM: the framework on the class path (Equinox 3.16 or 3.21,
 * chosen by the build), the bundles in {@code twinpath.osgi.bundles} (Felix SCR, Config Admin,
 * Metatype, Event Admin, Dependency Manager, DeploymentAdmin 0.9.5, SLF4J 1.7 with its simple
 * binding writing to a file), the Kura API stand-in and a stand-in CryptoService bundle.
 *
 * <p>Services are used reflectively: their API classes live in the framework's bundles, not on the
 * test class path.
 */
final class OsgiRuntime implements AutoCloseable {
  private final Framework framework;
  private final Path logFile;
  private final String name;
  private final Path storage;

  private OsgiRuntime(Framework framework, Path logFile, String name, Path storage) {
    this.framework = framework;
    this.logFile = logFile;
    this.name = name;
    this.storage = storage;
  }

  /** Boots a fresh framework whose storage and log are under {@code workDir}. */
  static OsgiRuntime boot(Path workDir) throws Exception {
    String name = System.getProperty("twinpath.osgi.runtime", "kura5");
    Path bundleDir =
        Path.of(System.getProperty("twinpath.osgi.bundles", "target/osgi/" + name))
            .toAbsolutePath();
    Files.createDirectories(workDir);
    Path logFile = workDir.resolve("kura.log");
    Files.deleteIfExists(logFile);
    // read by the SLF4J simple binding inside the framework when the first logger is made
    System.setProperty("org.slf4j.simpleLogger.logFile", logFile.toString());
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");

    FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
    Framework framework =
        factory.newFramework(
            Map.of(
                Constants.FRAMEWORK_STORAGE,
                workDir.resolve("storage").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN,
                Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
    framework.start();
    BundleContext ctx = framework.getBundleContext();
    List<Path> jars = new ArrayList<>();
    try (Stream<Path> s = Files.list(bundleDir)) {
      s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
    }
    if (jars.isEmpty()) {
      throw new IllegalStateException("no OSGi bundles in " + bundleDir + "; run mvn verify");
    }
    jars.add(classPathJar(CryptoService.class));
    jars.add(cryptoBundle(workDir));
    List<Bundle> installed = new ArrayList<>();
    for (Path jar : jars) {
      installed.add(ctx.installBundle(jar.toUri().toString()));
    }
    for (Bundle b : installed) {
      if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
        b.start();
      }
    }
    return new OsgiRuntime(framework, logFile, name, workDir.resolve("storage"));
  }

  String name() {
    return name;
  }

  /** The framework version, e.g. 3.16.0.v20200828-0759. */
  String frameworkVersion() {
    return framework.getVersion().toString();
  }

  BundleContext context() {
    return framework.getBundleContext();
  }

  Path logFile() {
    return logFile;
  }

  /** Everything the bundles logged through SLF4J so far. */
  String log() throws IOException {
    return Files.exists(logFile) ? Files.readString(logFile) : "";
  }

  List<Bundle> bundles() {
    return List.of(context().getBundles());
  }

  @Nullable Bundle bundle(String symbolicName) {
    for (Bundle b : context().getBundles()) {
      if (symbolicName.equals(b.getSymbolicName())) {
        return b;
      }
    }
    return null;
  }

  private static @Nullable ServiceReference<?> first(List<ServiceReference<?>> refs) {
    return refs.isEmpty() ? null : refs.get(0);
  }

  /** What the framework itself logged (Equinox writes errors, e.g. from SCR, to a file). */
  String frameworkLog() throws IOException {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> s = Files.list(storage)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".log")).toList()) {
        b.append(Files.readString(p));
      }
    }
    return b.toString();
  }

  /** The service references registered under {@code className} (empty when none). */
  List<ServiceReference<?>> references(String className) {
    try {
      ServiceReference<?>[] refs = context().getAllServiceReferences(className, null);
      return refs == null ? List.of() : List.of(refs);
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits up to 20 s for a service and returns it. (All references: the test class path has its own
   * copy of some API classes, so the framework would not call them assignable.)
   */
  Object service(String className) {
    ServiceReference<?> ref =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> first(references(className)), r -> r != null);
    Object s = context().getService(ref);
    if (s == null) {
      throw new IllegalStateException("the " + className + " service went away");
    }
    return s;
  }

  /**
   * Calls a public method of a framework-side object by name, through the public interface or class
   * that declares it.
   */
  static @Nullable Object call(Object target, String method, @Nullable Object... args) {
    for (Class<?> type : publicTypes(target.getClass())) {
      for (Method m : type.getMethods()) {
        if (m.getName().equals(method) && accepts(m, args)) {
          try {
            return m.invoke(target, args);
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
              throw (RuntimeException) cause;
            }
            throw new IllegalStateException(type.getName() + "." + method + " failed", cause);
          }
        }
      }
    }
    throw new IllegalArgumentException(
        "no public method " + method + " with " + args.length + " arguments on " + target);
  }

  private static boolean accepts(Method m, @Nullable Object[] args) {
    Class<?>[] types = m.getParameterTypes();
    if (types.length != args.length) {
      return false;
    }
    for (int i = 0; i < types.length; i++) {
      Object a = args[i];
      if (a == null) {
        if (types[i].isPrimitive()) {
          return false;
        }
      } else if (!wrap(types[i]).isInstance(a)) {
        return false;
      }
    }
    return true;
  }

  private static Class<?> wrap(Class<?> c) {
    if (c == int.class) {
      return Integer.class;
    }
    if (c == long.class) {
      return Long.class;
    }
    if (c == boolean.class) {
      return Boolean.class;
    }
    return c;
  }

  private static Set<Class<?>> publicTypes(Class<?> c) {
    Set<Class<?>> out = new LinkedHashSet<>();
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      if (Modifier.isPublic(k.getModifiers())) {
        out.add(k);
      }
      addInterfaces(k, out);
    }
    return out;
  }

  private static void addInterfaces(Class<?> c, Set<Class<?>> out) {
    for (Class<?> i : c.getInterfaces()) {
      if (Modifier.isPublic(i.getModifiers())) {
        out.add(i);
      }
      addInterfaces(i, out);
    }
  }

  /** The jar on the test class path that holds {@code type} (e.g. the Kura API stand-in). */
  static Path classPathJar(Class<?> type) throws URISyntaxException {
    Path p = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!p.toString().endsWith(".jar")) {
      throw new IllegalStateException(
          type.getName()
              + " comes from "
              + p
              + ", not a bundle jar; run the build with mvn verify");
    }
    return p;
  }

  /** Packs the stand-in CryptoService classes from the test classes into a bundle. */
  private static Path cryptoBundle(Path dir) throws IOException, URISyntaxException {
    Path classes =
        Path.of(StandInCrypto.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String pkg = StandInCrypto.class.getPackageName().replace('.', '/');
    Manifest m = new Manifest();
    Attributes a = m.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
    a.putValue(Constants.BUNDLE_SYMBOLICNAME, "io.twinpath.kura.test.crypto");
    a.putValue(Constants.BUNDLE_VERSION, "1.0.0");
    a.putValue(Constants.BUNDLE_ACTIVATOR, StandInCryptoActivator.class.getName());
    a.putValue(
        Constants.IMPORT_PACKAGE,
        "org.eclipse.kura;version=\"[1.6,2)\",org.eclipse.kura.crypto;version=\"[1.3,2)\","
            + "org.osgi.framework,javax.crypto,javax.crypto.spec");
    Path jar = dir.resolve("stand-in-crypto.jar");
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(os, m);
        Stream<Path> files = Files.list(classes.resolve(pkg))) {
      for (Path f : files.sorted().toList()) {
        String n = f.getFileName().toString();
        if (n.endsWith(".class") && !n.equals("package-info.class")) {
          out.putNextEntry(new JarEntry(pkg + "/" + n));
          Files.copy(f, out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }

  @Override
  public void close() throws BundleException {
    framework.stop();
    try {
      framework.waitForStop(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
