package org.aipipeline.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests under {@code deploy/kubernetes} are valid API objects and fit the runner.
 * Validity is checked against the API types of the official Kubernetes Java client (generated from
 * the Kubernetes 1.32 OpenAPI document): an unknown or misspelt field, a missing required field or
 * a value of the wrong type anywhere in an object is an error, as {@code kubectl apply} with
 * server-side validation would make it. No cluster is needed. The rest checks what the API server
 * cannot know: the probes ask the runner's health paths, every variable is one the runner reads,
 * every name a manifest refers to is defined, and the kustomization lists every file.
 */
class DeployManifestsTest {

    private static final Path KUBERNETES = Path.of("deploy/kubernetes");
    private static final Path KUSTOMIZATION = KUBERNETES.resolve("kustomization.yaml");
    private static final Path DOCKERFILE = Path.of("deploy/Dockerfile");
    private static final Path FILE_SERVICE_MAIN =
            Path.of("src/main/java/org/aipipeline/runner/fileservice/boundary/FileServiceMain.java");
    private static final Gson GSON = new Gson();

    /** apiVersion/kind → the API type; a kind not listed here is refused rather than let through. */
    private static final Map<String, Class<?>> TYPES = Map.of(
            "v1/ConfigMap", V1ConfigMap.class,
            "v1/Secret", V1Secret.class,
            "v1/Service", V1Service.class,
            "v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class,
            "apps/v1/Deployment", V1Deployment.class,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class);

    /** Top-level fields of a kustomize.config.k8s.io/v1beta1 Kustomization that these files may use. */
    private static final Set<String> KUSTOMIZATION_FIELDS = Set.of(
            "apiVersion",
            "kind",
            "resources",
            "labels",
            "namespace",
            "namePrefix",
            "secretGenerator",
            "configMapGenerator",
            "generatorOptions",
            "images",
            "patches",
            "replicas");

    /** One YAML document of one manifest file. */
    record Manifest(Path file, int document, JsonObject json) {

        String type() {
            return string(json, "apiVersion") + "/" + string(json, "kind");
        }

        String kind() {
            return string(json, "kind");
        }

        String name() {
            return string(json.getAsJsonObject("metadata"), "name");
        }

        <T> T as(Class<T> type) {
            return invoke(type, "fromJson", json.toString(), type);
        }

        @Override
        public String toString() {
            return file + " #" + (document + 1) + " (" + kind() + " " + name() + ")";
        }
    }

    private static final List<Manifest> MANIFESTS = readManifests();

    @Test
    void everyManifestIsAValidKubernetesObject() {
        assertTrue(MANIFESTS.size() >= 7, "manifests read: " + MANIFESTS);
        Map<String, String> problems = new LinkedHashMap<>();
        MANIFESTS.forEach(manifest -> problemsOf(manifest.json()).ifPresent(p -> problems.put(manifest.toString(), p)));
        assertEquals(Map.of(), problems);
    }

    @Test
    void theValidationRefusesWhatTheApiServerWouldRefuse() {
        // Deep in the runner's pod template, so a check that looked only at the top would pass them.
        assertRefused("an unknown (misspelt) field", container -> container.add("readinesProbe", new JsonObject()));
        assertRefused(
                "a string where an integer belongs",
                container -> container
                        .getAsJsonArray("ports")
                        .get(0)
                        .getAsJsonObject()
                        .addProperty("containerPort", "eighty"));
        assertRefused("a missing required field", container -> container.remove("name"));
        assertRefused(
                "an invalid quantity",
                container -> container
                        .getAsJsonObject("resources")
                        .getAsJsonObject("limits")
                        .addProperty("memory", "one gigabyte"));
    }

    @Test
    void theRunnersProbesAskItsHealthEndpoints() {
        V1Container runner = runnerContainer();
        int httpPort = runner.getPorts().stream()
                .filter(port -> "http".equals(port.getName()))
                .findFirst()
                .orElseThrow()
                .getContainerPort();
        assertEquals(8080, httpPort, "Payara Micro's HTTP port");
        // MicroProfile Health 4 paths at the server root; /health/ready and /health/live carry the
        // runner's own checks (database, broker, File Service; heap), /health/started is UP once deployed.
        assertProbe(runner.getStartupProbe(), "/health/started");
        assertProbe(runner.getLivenessProbe(), "/health/live");
        assertProbe(runner.getReadinessProbe(), "/health/ready");
        assertTrue(
                sourcesContain("@Readiness") && sourcesContain("@Liveness"),
                "src/main has readiness and liveness checks for the probes to ask");
        // The File Service readiness check waits up to 2 s: a shorter probe timeout would fail a healthy pod.
        assertTrue(runner.getReadinessProbe().getTimeoutSeconds() > 2);
    }

    @Test
    void everyVariableIsOneTheRunnerOrTheFileServiceReads() {
        ConfigurationTable table = ConfigurationTable.fromReadme();
        Set<String> unknown = new TreeSet<>();
        configMap("runner-config").getData().keySet().stream()
                .filter(name -> !table.hasEnvironmentVariable(name))
                .forEach(unknown::add);
        exampleSecretKeys().stream()
                .filter(name -> !table.hasEnvironmentVariable(name))
                .forEach(unknown::add);
        Set<String> fileServiceReads = fileServiceVariables();
        container("file-service", "file-service").getEnv().stream()
                .map(env -> env.getName())
                .filter(name -> !fileServiceReads.contains(name))
                .forEach(unknown::add);
        assertEquals(
                Set.of(), unknown, "variables no row of the README's configuration table (or FileServiceMain) reads");
    }

    @Test
    void theReplicasShareOneKeyPairOneBrokerAndAnExternalFileService() {
        Map<String, String> config = configMap("runner-config").getData();
        assertEquals("false", config.get("MESSAGING_EMBEDDED_BROKER_ENABLED"));
        assertTrue(config.get("DB_URL").startsWith("jdbc:postgresql://"));
        assertTrue(exampleSecretKeys().containsAll(List.of("DB_PASSWORD", "RABBITMQ_URL", "FILES_SERVICE_TOKEN")));

        V1Container runner = runnerContainer();
        String keysMount = runner.getVolumeMounts().stream()
                .filter(mount -> "jwt".equals(mount.getName()))
                .findFirst()
                .orElseThrow()
                .getMountPath();
        assertEquals(keysMount + "/private.pem", config.get("JWT_PRIVATE_KEY_PATH"));
        assertEquals(keysMount + "/public.pem", config.get("JWT_PUBLIC_KEY_PATH"));
        assertEquals(
                "runner-jwt",
                deployment("runner").getSpec().getTemplate().getSpec().getVolumes().stream()
                        .filter(volume -> "jwt".equals(volume.getName()))
                        .findFirst()
                        .orElseThrow()
                        .getSecret()
                        .getSecretName());

        V1Service files = service("file-service");
        assertEquals(
                files.getMetadata().getName() + ":"
                        + files.getSpec().getPorts().get(0).getPort(),
                config.get("FILES_SERVICE_ADDRESS"));
        List<String> command = container("file-service", "file-service").getCommand();
        String mainClass = command.get(command.size() - 1);
        assertEquals(FILE_SERVICE_MAIN.toString(), "src/main/java/" + mainClass.replace('.', '/') + ".java");
        assertTrue(Files.exists(FILE_SERVICE_MAIN));
        String classPath = command.get(command.indexOf("-cp") + 1);
        assertTrue(
                read(DOCKERFILE).contains(classPath.substring(0, classPath.indexOf("/WEB-INF"))),
                "the Dockerfile unpacks the WAR where the File Service's class path points: " + classPath);
    }

    @Test
    void everyNameAManifestRefersToIsDefined() {
        Set<String> configMaps = namesOf("ConfigMap");
        Set<String> secrets = secretGeneratorNames();
        Set<String> claims = namesOf("PersistentVolumeClaim");
        List<String> undefined = new ArrayList<>();
        for (Manifest manifest : MANIFESTS) {
            if (!manifest.kind().equals("Deployment")) {
                continue;
            }
            var pod = manifest.as(V1Deployment.class).getSpec().getTemplate().getSpec();
            for (V1Container container : pod.getContainers()) {
                Optional.ofNullable(container.getEnvFrom()).orElse(List.of()).forEach(from -> {
                    if (from.getConfigMapRef() != null
                            && !configMaps.contains(from.getConfigMapRef().getName())) {
                        undefined.add(manifest + ": ConfigMap "
                                + from.getConfigMapRef().getName());
                    }
                    if (from.getSecretRef() != null
                            && !secrets.contains(from.getSecretRef().getName())) {
                        undefined.add(
                                manifest + ": Secret " + from.getSecretRef().getName());
                    }
                });
                Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                        .filter(env ->
                                env.getValueFrom() != null && env.getValueFrom().getConfigMapKeyRef() != null)
                        .map(env -> env.getValueFrom().getConfigMapKeyRef())
                        .filter(ref -> !configMap(ref.getName()).getData().containsKey(ref.getKey()))
                        .forEach(ref ->
                                undefined.add(manifest + ": ConfigMap key " + ref.getName() + "/" + ref.getKey()));
            }
            pod.getVolumes().forEach(volume -> {
                if (volume.getSecret() != null
                        && !secrets.contains(volume.getSecret().getSecretName())) {
                    undefined.add(manifest + ": Secret " + volume.getSecret().getSecretName());
                }
                if (volume.getPersistentVolumeClaim() != null
                        && !claims.contains(volume.getPersistentVolumeClaim().getClaimName())) {
                    undefined.add(manifest + ": PersistentVolumeClaim "
                            + volume.getPersistentVolumeClaim().getClaimName());
                }
            });
        }
        for (Manifest manifest : MANIFESTS) {
            if (manifest.kind().equals("Service")) {
                V1Service service = manifest.as(V1Service.class);
                V1Deployment target = MANIFESTS.stream()
                        .filter(m -> m.kind().equals("Deployment"))
                        .map(m -> m.as(V1Deployment.class))
                        .filter(d -> d.getSpec()
                                .getTemplate()
                                .getMetadata()
                                .getLabels()
                                .entrySet()
                                .containsAll(service.getSpec().getSelector().entrySet()))
                        .findFirst()
                        .orElse(null);
                if (target == null) {
                    undefined.add(manifest + ": no Deployment's pods match the selector");
                    continue;
                }
                Set<String> ports = target.getSpec().getTemplate().getSpec().getContainers().stream()
                        .flatMap(c -> c.getPorts().stream())
                        .map(p -> p.getName())
                        .collect(Collectors.toSet());
                service.getSpec().getPorts().stream()
                        .map(p -> p.getTargetPort().toString())
                        .filter(port -> !ports.contains(port))
                        .forEach(port -> undefined.add(manifest + ": target port " + port));
            }
        }
        assertEquals(List.of(), undefined);
    }

    @Test
    void theKustomizationListsEveryManifestAndGeneratesTheSecrets() {
        JsonObject kustomization = readYaml(KUSTOMIZATION).get(0);
        assertEquals("kustomize.config.k8s.io/v1beta1", string(kustomization, "apiVersion"));
        assertEquals("Kustomization", string(kustomization, "kind"));
        Set<String> fields = new TreeSet<>(kustomization.keySet());
        fields.removeAll(KUSTOMIZATION_FIELDS);
        assertEquals(Set.of(), fields, "fields kustomize does not know (or these files should not use)");

        Set<String> listed = new TreeSet<>();
        kustomization.getAsJsonArray("resources").forEach(resource -> listed.add(resource.getAsString()));
        Set<String> files = manifestFiles()
                .map(file -> KUBERNETES.relativize(file).toString())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(files, listed);

        // The generators read files that are never committed; each has an example or is made by a
        // command the README gives (the key pair).
        List<String> sources = new ArrayList<>();
        for (JsonElement generator : kustomization.getAsJsonArray("secretGenerator")) {
            for (String list : List.of("envs", "files")) {
                Optional.ofNullable(generator.getAsJsonObject().getAsJsonArray(list))
                        .ifPresent(entries -> entries.forEach(entry -> sources.add(entry.getAsString()
                                .substring(entry.getAsString().indexOf('=') + 1))));
            }
        }
        assertEquals(List.of("secrets/runner.env", "secrets/jwt-private.pem", "secrets/jwt-public.pem"), sources);
        assertTrue(Files.exists(KUBERNETES.resolve("secrets/runner.env.example")));
        assertTrue(
                read(KUBERNETES.resolve("secrets/.gitignore")).lines().anyMatch("*"::equals),
                "secrets/ keeps the real secrets out of git");
    }

    private static void assertProbe(V1Probe probe, String path) {
        assertEquals(path, probe.getHttpGet().getPath());
        assertEquals("http", probe.getHttpGet().getPort().toString());
    }

    /** Breaks a copy of the runner Deployment's container and expects the validation to say so. */
    private static void assertRefused(String what, Consumer<JsonObject> breakContainer) {
        Manifest runner = MANIFESTS.stream()
                .filter(m -> m.kind().equals("Deployment") && m.name().equals("runner"))
                .findFirst()
                .orElseThrow();
        JsonObject broken = runner.json().deepCopy();
        breakContainer.accept(broken.getAsJsonObject("spec")
                .getAsJsonObject("template")
                .getAsJsonObject("spec")
                .getAsJsonArray("containers")
                .get(0)
                .getAsJsonObject());
        assertFalse(problemsOf(broken).isEmpty(), what + " passed the validation");
    }

    /** What the API types say about one object, or empty when it is valid. */
    private static Optional<String> problemsOf(JsonObject json) {
        String type = string(json, "apiVersion") + "/" + string(json, "kind");
        Class<?> model = TYPES.get(type);
        if (model == null) {
            return Optional.of("no API type known for " + type + " (add it to DeployManifestsTest.TYPES)");
        }
        try {
            invoke(model, "validateJsonElement", json, JsonElement.class);
            invoke(model, "fromJson", json.toString(), model); // types of values: integers, quantities
            return Optional.empty();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Optional.of(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T invoke(Class<?> model, String method, Object argument, Class<T> result) {
        try {
            Method m = model.getMethod(method, argument instanceof JsonElement ? JsonElement.class : String.class);
            return (T) m.invoke(null, argument);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static V1Container runnerContainer() {
        return container("runner", "runner");
    }

    private static V1Container container(String deployment, String name) {
        return deployment(deployment).getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static V1Deployment deployment(String name) {
        return one("Deployment", name).as(V1Deployment.class);
    }

    private static V1Service service(String name) {
        return one("Service", name).as(V1Service.class);
    }

    private static V1ConfigMap configMap(String name) {
        return one("ConfigMap", name).as(V1ConfigMap.class);
    }

    private static Manifest one(String kind, String name) {
        return MANIFESTS.stream()
                .filter(m -> m.kind().equals(kind) && m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " under " + KUBERNETES));
    }

    private static Set<String> namesOf(String kind) {
        return MANIFESTS.stream()
                .filter(m -> m.kind().equals(kind))
                .map(Manifest::name)
                .collect(Collectors.toSet());
    }

    private static Set<String> secretGeneratorNames() {
        Set<String> names = new TreeSet<>();
        readYaml(KUSTOMIZATION)
                .get(0)
                .getAsJsonArray("secretGenerator")
                .forEach(generator -> names.add(string(generator.getAsJsonObject(), "name")));
        return names;
    }

    private static Set<String> exampleSecretKeys() {
        return read(KUBERNETES.resolve("secrets/runner.env.example"))
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.substring(0, line.indexOf('=')))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The variables FileServiceMain reads ({@code option(options, "port", "FILES_SERVICE_PORT", ...)}, getenv). */
    private static Set<String> fileServiceVariables() {
        Matcher names = Pattern.compile("\"([A-Z][A-Z0-9_]+)\"").matcher(read(FILE_SERVICE_MAIN));
        Set<String> variables = new TreeSet<>();
        while (names.find()) {
            variables.add(names.group(1));
        }
        return variables;
    }

    private static boolean sourcesContain(String text) {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            return files.filter(f -> f.toString().endsWith(".java")).anyMatch(f -> read(f).contains(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Manifest> readManifests() {
        List<Manifest> manifests = new ArrayList<>();
        manifestFiles().forEach(file -> {
            List<JsonObject> documents = readYaml(file);
            for (int i = 0; i < documents.size(); i++) {
                manifests.add(new Manifest(file, i, documents.get(i)));
            }
        });
        return manifests;
    }

    private static Stream<Path> manifestFiles() {
        try (Stream<Path> files = Files.walk(KUBERNETES)) {
            return files
                    .filter(f -> f.toString().endsWith(".yaml") && !f.equals(KUSTOMIZATION))
                    .sorted()
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a YAML file, as JSON (what kubectl sends to the API server). */
    private static List<JsonObject> readYaml(Path file) {
        List<JsonObject> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : new Yaml().loadAll(reader)) {
                if (document != null) {
                    documents.add(GSON.toJsonTree(document).getAsJsonObject());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String string(JsonObject object, String member) {
        JsonElement value = object == null ? null : object.get(member);
        return value == null || !value.isJsonPrimitive() ? "?" : value.getAsString();
    }
}
