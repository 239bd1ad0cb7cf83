package dev.qrnnstreams.streams;

import dev.qrnnstreams.inference.DecodingSettings;
import dev.qrnnstreams.nn.QrnnStateCodec;
import dev.qrnnstreams.inference.BackendKind;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.LambdaValidator;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidList;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Validator;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings of the service, each declared once with its name, type, default, validator, importance and
 * documentation (in the manner of Kafka's {@code StreamsConfig}).
 *
 * <p>Settings live in three namespaces. {@code qrnn.*} are the service's own; {@code schema.registry.*}
 * go to the schema registry client ({@code schema.registry.url} is declared, any other is passed through);
 * every other name is a Kafka client or Kafka Streams setting: the declared ones have defaults and checks,
 * and any other (security settings such as {@code security.protocol} or {@code sasl.jaas.config}, tuning
 * such as {@code commit.interval.ms}, prefixed ones such as {@code producer.linger.ms}) is passed through
 * to Kafka Streams as written.
 *
 * <p>Sources, lowest precedence first: the declared defaults, a properties file, environment variables,
 * and command-line overrides. An environment variable names a setting by upper-casing it and replacing
 * {@code .} with {@code _}, with {@code KAFKA_} in front for Kafka settings: {@code qrnn.batch.max.records}
 * is {@code QRNN_BATCH_MAX_RECORDS}, {@code schema.registry.basic.auth.user.info} is
 * {@code SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO}, {@code bootstrap.servers} is {@code KAFKA_BOOTSTRAP_SERVERS}
 * and {@code sasl.jaas.config} is {@code KAFKA_SASL_JAAS_CONFIG} (see {@link #environmentVariable}).
 * Other environment variables are not read. An unknown {@code qrnn.*} setting in the file or the overrides
 * is an error; an unknown {@code QRNN_*} environment variable is logged and ignored, since the environment
 * is shared with other software.
 *
 * <p>Every value is checked against its declaration when the configuration is loaded; a bad value fails
 * with a {@link ConfigException} that names the setting and the source it came from.
 *
 * <p>Immutable and thread-safe.
 */
public final class ServiceConfig extends AbstractConfig {
    /** Kafka: the brokers to bootstrap from. */
    public static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";
    /** Kafka Streams: the application id (consumer group, prefix of internal topics). */
    public static final String APPLICATION_ID_CONFIG = "application.id";
    /** Kafka Streams: the processing guarantee. */
    public static final String PROCESSING_GUARANTEE_CONFIG = "processing.guarantee";
    /** Kafka Streams: static membership id of this instance. */
    public static final String GROUP_INSTANCE_ID_CONFIG = "group.instance.id";
    /** Kafka Streams: the directory of the local state stores. */
    public static final String STATE_DIR_CONFIG = "state.dir";
    /** Kafka Streams: the number of stream threads. */
    public static final String NUM_STREAM_THREADS_CONFIG = "num.stream.threads";
    /** How often each stream thread commits (Kafka Streams' setting, with this service's default). */
    public static final String COMMIT_INTERVAL_MS_CONFIG = "commit.interval.ms";
    /** How long the stream threads' producers wait before retrying a failed request (Kafka's setting, prefixed). */
    public static final String PRODUCER_RETRY_BACKOFF_MS_CONFIG = "producer.retry.backoff.ms";
    /** Schema registry: its URLs. */
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    /** Whether the serializers register the schemas they write. */
    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "qrnn.auto.register.schemas";
    /** The input topic of text events. */
    public static final String INPUT_TOPIC_CONFIG = "qrnn.input.topic";
    /** The output topic of classifications. */
    public static final String CLASSIFICATIONS_TOPIC_CONFIG = "qrnn.classifications.topic";
    /** The output topic of translations. */
    public static final String TRANSLATIONS_TOPIC_CONFIG = "qrnn.translations.topic";
    /** The dead-letter topic. */
    public static final String DLQ_TOPIC_CONFIG = "qrnn.dlq.topic";
    /** The models the service loads, as name=bundle-directory. */
    public static final String MODELS_CONFIG = "qrnn.models";
    /** The model for events that name none. */
    public static final String DEFAULT_MODEL_CONFIG = "qrnn.default.model";
    /** The most records buffered before a batched forward pass. */
    public static final String BATCH_MAX_RECORDS_CONFIG = "qrnn.batch.max.records";
    /** The most time a record waits in the buffer. */
    public static final String BATCH_MAX_LATENCY_MS_CONFIG = "qrnn.batch.max.latency.ms";
    /** The least time between a stream thread's last commit and an early one a caught-up task asks for. */
    public static final String COMMIT_CAUGHT_UP_INTERVAL_MS_CONFIG = "qrnn.commit.caught.up.interval.ms";
    /** The age of a task's newest stepped record from which it is working through a backlog. */
    public static final String COMMIT_BACKLOG_AGE_MS_CONFIG = "qrnn.commit.backlog.age.ms";
    /** The longest accepted text. */
    public static final String TEXT_MAX_CHARS_CONFIG = "qrnn.text.max.chars";
    /** The largest accepted record key. */
    public static final String KEY_MAX_BYTES_CONFIG = "qrnn.key.max.bytes";
    /** The largest accepted record value. */
    public static final String VALUE_MAX_BYTES_CONFIG = "qrnn.value.max.bytes";
    /** The largest record the service writes. */
    public static final String RECORD_MAX_BYTES_CONFIG = "qrnn.record.max.bytes";
    /** The most raw key and value bytes a dead letter keeps. */
    public static final String DLQ_RAW_MAX_BYTES_CONFIG = "qrnn.dlq.raw.max.bytes";
    /** The idle time after which a key's state expires. */
    public static final String STATE_IDLE_TIMEOUT_MS_CONFIG = "qrnn.state.idle.timeout.ms";
    /** How often the stores are scanned for expired keys. */
    public static final String STATE_EXPIRY_SCAN_INTERVAL_MS_CONFIG = "qrnn.state.expiry.scan.interval.ms";
    /** The precision of the stored per-key state. */
    public static final String STATE_PRECISION_CONFIG = "qrnn.state.precision";
    /** The inference backend. */
    public static final String BACKEND_CONFIG = BackendKind.SETTING;
    /** The cores one stream thread's CPU kernels split their work over. */
    public static final String INFERENCE_THREADS_CONFIG = "qrnn.inference.threads";
    /** Off-heap bytes that all RocksDB stores of the process share; 0 leaves Kafka Streams' per-store defaults. */
    public static final String ROCKSDB_MEMORY_BYTES_CONFIG = "qrnn.rocksdb.memory.bytes";
    /** The port of the Prometheus endpoint. */
    public static final String METRICS_PORT_CONFIG = "qrnn.metrics.port";
    /** The beam width of the translator. */
    public static final String TRANSLATION_BEAM_WIDTH_CONFIG = "qrnn.translation.beam.width";
    /** The longest translation, in tokens. */
    public static final String TRANSLATION_MAX_LENGTH_CONFIG = "qrnn.translation.max.length";
    /** Whether the instance is a static member of the consumer group. */
    public static final String STATIC_MEMBERSHIP_CONFIG = "qrnn.static.membership";
    /** The most source tokens a translator key's open segment holds. */
    public static final String TRANSLATION_SEGMENT_MAX_TOKENS_CONFIG = "qrnn.translation.segment.max.tokens";

    /** The service's own namespace. */
    public static final String QRNN_PREFIX = "qrnn.";
    /** The schema registry client's namespace. */
    public static final String SCHEMA_REGISTRY_PREFIX = "schema.registry.";
    /** The environment prefix of Kafka settings. */
    public static final String KAFKA_ENV_PREFIX = "KAFKA_";

    /** The value of {@value #METRICS_PORT_CONFIG} that turns the endpoint off. */
    public static final int METRICS_DISABLED = -1;

    private static final Logger LOG = LoggerFactory.getLogger(ServiceConfig.class);
    private static final String QRNN_ENV_PREFIX = "QRNN_";
    private static final String SCHEMA_REGISTRY_ENV_PREFIX = "SCHEMA_REGISTRY_";
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern MODEL_NAME = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final int MAX_PORT = 65_535;
    private static final String DEFAULT_SOURCE = "the default";
    private static final String OVERRIDE_SOURCE = "a command-line override";

    private static final ConfigDef CONFIG = new ConfigDef()
            .define(BOOTSTRAP_SERVERS_CONFIG, Type.LIST, "localhost:9092", nonEmptyList("host:port"),
                    Importance.HIGH, "Kafka brokers to bootstrap from, as a comma-separated list of host:port.")
            .define(APPLICATION_ID_CONFIG, Type.STRING, "qrnn-streams", topicNameValidator(), Importance.HIGH,
                    "Kafka Streams application id: the consumer group of all instances of the service and the "
                            + "prefix of its internal topics (state store changelogs). Instances with the same id "
                            + "share the work.")
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, "http://localhost:8081", nonEmptyList("URL"), Importance.HIGH,
                    "Schema registry URLs (Confluent REST API), comma-separated. Other schema.registry.* settings "
                            + "go to the registry client: basic auth (schema.registry.basic.auth.credentials.source, "
                            + "schema.registry.basic.auth.user.info), bearer auth and TLS "
                            + "(schema.registry.ssl.truststore.location and the other schema.registry.ssl.* settings).")
            .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, true, null, Importance.MEDIUM,
                    "Whether the serializers register the output schemas under their TopicNameStrategy subjects. "
                            + "When false, the schemas must already be registered.")
            .define(INPUT_TOPIC_CONFIG, Type.STRING, "text-events", topicNameValidator(), Importance.HIGH,
                    "Topic of the input TextEvent records; the record key is the stream key (conversation, document "
                            + "or session id) whose QRNN state is carried across messages.")
            .define(CLASSIFICATIONS_TOPIC_CONFIG, Type.STRING, "classifications", topicNameValidator(), Importance.HIGH,
                    "Topic the Classification records are written to.")
            .define(TRANSLATIONS_TOPIC_CONFIG, Type.STRING, "translations", topicNameValidator(), Importance.HIGH,
                    "Topic the Translation records are written to.")
            .define(DLQ_TOPIC_CONFIG, Type.STRING, "text-events-dlq", topicNameValidator(), Importance.HIGH,
                    "Dead-letter topic: every input record that cannot be processed is written here with the reason.")
            .define(MODELS_CONFIG, Type.LIST, "sentiment=models/sst2-qrnn,review-sentiment=models/imdb-qrnn,"
                            + "de-en=models/multi30k-de-en", modelsValidator(), Importance.HIGH,
                    "Models the service loads, as a comma-separated list of name=bundle-directory; a relative "
                            + "directory is resolved against the working directory. An event selects a model by "
                            + "name.")
            .define(DEFAULT_MODEL_CONFIG, Type.STRING, "sentiment",
                    patternValidator(MODEL_NAME, "a model name of a-z A-Z 0-9 . _ -"), Importance.HIGH, "Model for events that name none; one of the names in " + MODELS_CONFIG + ".")
            .define(BATCH_MAX_RECORDS_CONFIG, Type.INT, 256, Range.atLeast(1), Importance.MEDIUM,
                    "Most records buffered before they are run as one batched forward pass across keys.")
            .define(BATCH_MAX_LATENCY_MS_CONFIG, Type.LONG, 5L, Range.atLeast(1), Importance.MEDIUM,
                    "Most time in milliseconds (wall clock) a record waits in the buffer before its batch is run.")
            .define(COMMIT_CAUGHT_UP_INTERVAL_MS_CONFIG, Type.LONG, 10L, Range.atLeast(0), Importance.MEDIUM,
                    "A task that keeps up with its input asks for a commit once it has new outputs, so a "
                            + "read_committed consumer sees them soon; its stream thread asks at the earliest this "
                            + "many milliseconds after its last commit. 0: no early commits, every commit on "
                            + COMMIT_INTERVAL_MS_CONFIG + " (BENCHMARKS.md, End-to-end).")
            .define(COMMIT_BACKLOG_AGE_MS_CONFIG, Type.LONG, 1000L, Range.atLeast(0), Importance.MEDIUM,
                    "A task whose newest stepped record is older than this many milliseconds (by the record "
                            + "timestamps) is working through a backlog: it asks for no early commit and leaves "
                            + "commits to " + COMMIT_INTERVAL_MS_CONFIG + ", so fewer commits take time from the "
                            + "model while it catches up.")
            .define(TEXT_MAX_CHARS_CONFIG, Type.INT, 20_000, Range.atLeast(1), Importance.MEDIUM,
                    "Longest accepted text of one event, in characters; longer events go to the dead-letter topic.")
            .define(KEY_MAX_BYTES_CONFIG, Type.INT, 4096, Range.atLeast(1), Importance.MEDIUM,
                    "Largest accepted record key, in bytes; a record with a longer key goes to the dead-letter "
                            + "topic (the key is copied into every output and into the stores' keys).")
            .define(VALUE_MAX_BYTES_CONFIG, Type.INT, 262_144, Range.atLeast(1), Importance.MEDIUM,
                    "Largest accepted record value, in bytes; a longer one goes to the dead-letter topic undecoded. "
                            + "Together with " + KEY_MAX_BYTES_CONFIG + " it bounds the buffered copy of a record: key "
                            + "+ 2 x value + 16 KiB must fit " + RECORD_MAX_BYTES_CONFIG + ".")
            .define(RECORD_MAX_BYTES_CONFIG, Type.INT, 1_000_000, Range.atLeast(1), Importance.MEDIUM,
                    "Largest record, key and value in bytes, the service writes to any topic, changelogs included. "
                            + "An output over it is replaced by the input's dead letter, a key's state over it is "
                            + "dropped (the key starts afresh). Such a record goes out in a batch up to "
                            + TopicLimitsCheck.BATCH_OVERHEAD_BYTES + " bytes larger, which must fit the producer's "
                            + "max.request.size (1 MiB by default) and the max.message.bytes of the classifications, "
                            + "translations, dead-letter and changelog topics (for a topic not created yet, "
                            + "topic.max.message.bytes for a changelog where set, else the brokers' "
                            + "message.max.bytes). Start-up checks them: a limit too small stops it with a message "
                            + "naming the limit to raise; brokers that cannot be asked (timeout, no DescribeConfigs "
                            + "permission) are logged as a warning.")
            .define(DLQ_RAW_MAX_BYTES_CONFIG, Type.INT, 262_144, Range.atLeast(1), Importance.LOW,
                    "Most bytes of the raw key and of the raw value a dead letter keeps; longer ones are cut to "
                            + "this prefix and the dead letter records their sizes. The default keeps every value "
                            + "within " + VALUE_MAX_BYTES_CONFIG + " whole. 2 x this + 16 KiB must fit "
                            + RECORD_MAX_BYTES_CONFIG + ".")
            .define(STATE_IDLE_TIMEOUT_MS_CONFIG, Type.LONG, 86_400_000L, Range.atLeast(1), Importance.MEDIUM,
                    "Time in milliseconds after a key's last event when its state is deleted, so that the stores "
                            + "stay bounded.")
            .define(STATE_EXPIRY_SCAN_INTERVAL_MS_CONFIG, Type.LONG, 60_000L, Range.atLeast(1), Importance.LOW,
                    "How often, in milliseconds (wall clock), the state stores are scanned for expired keys.")
            .define(STATE_PRECISION_CONFIG, Type.STRING, "float32", lowerCaseNames(QrnnStateCodec.Precision.values()),
                    Importance.LOW, "Precision of the per-key state in the store: bfloat16 halves its size and moves "
                            + "outputs slightly.")
            .define(BACKEND_CONFIG, Type.STRING, "auto", lowerCaseNames(BackendKind.values()), Importance.MEDIUM,
                    "Inference backend: cpu, cuda (fails when no CUDA device is usable), or auto (CUDA when a device "
                            + "is usable, else the CPU).")
            .define(INFERENCE_THREADS_CONFIG, Type.INT, 0, Range.atLeast(0), Importance.LOW,
                    "Cores over which one stream thread's CPU kernels split a batch (the calling thread and "
                            + "helpers); 0 for the machine's cores divided by " + NUM_STREAM_THREADS_CONFIG
                            + ", at least 1, so that the stream threads do not hand work to each other's cores "
                            + "(BENCHMARKS.md, End-to-end). Ignored on CUDA.")
            .define(ROCKSDB_MEMORY_BYTES_CONFIG, Type.LONG, 128L << 20, Range.atLeast(0), Importance.LOW,
                    "Bytes of native memory that the RocksDB stores of this process share for their block cache, "
                            + "memtables, and index and filter blocks, so that the resident set stays bounded however "
                            + "many partitions an instance holds; 0 for Kafka Streams' own defaults (a 50 MiB block "
                            + "cache and up to three 16 MiB memtables per store, per partition). Ignored when "
                            + "rocksdb.config.setter is set.")
            .define(METRICS_PORT_CONFIG, Type.INT, 9464, portValidator(), Importance.LOW,
                    "Port of the HTTP endpoint serving /metrics (Prometheus text format) and /health; 0 picks a free "
                            + "port, -1 turns the endpoint off.")
            .define(TRANSLATION_BEAM_WIDTH_CONFIG, Type.INT, null, nullOrAtLeastOne(), Importance.LOW,
                    "Beam width of the translators' search, overriding the one each translator's manifest records "
                            + "(with the length penalty it was measured with); 1 is greedy decoding. Unset: each "
                            + "manifest's.")
            .define(TRANSLATION_MAX_LENGTH_CONFIG, Type.INT, null, nullOrAtLeastOne(), Importance.LOW,
                    "Longest translation the decoder produces, in target tokens, overriding the one each "
                            + "translator's manifest records. Unset: each manifest's.")
            .define(TRANSLATION_SEGMENT_MAX_TOKENS_CONFIG, Type.INT, 256, Range.atLeast(1), Importance.LOW,
                    "Most source tokens a translator key's open segment (the text since its last endOfSegment) "
                            + "holds. The record that takes its segment past this, or past " + TEXT_MAX_CHARS_CONFIG
                            + " characters, ends the segment as endOfSegment would: its translation, of the whole "
                            + "segment, is final and the key starts a new segment. So a key's stored segment stays "
                            + "bounded and no text is dropped. The default is the decoding limit of the shipped "
                            + "translator (max_length 256 in models/multi30k-de-en).")
            .define(PROCESSING_GUARANTEE_CONFIG, Type.STRING, "exactly_once_v2",
                    ValidString.in("at_least_once", "exactly_once_v2"), Importance.MEDIUM,
                    "Kafka Streams processing guarantee. exactly_once_v2 needs brokers with transactions (a "
                            + "transaction state log with enough replicas).")
            .define(STATIC_MEMBERSHIP_CONFIG, Type.BOOLEAN, true, null, Importance.MEDIUM,
                    "Whether this instance joins the consumer group as a static member, under "
                            + GROUP_INSTANCE_ID_CONFIG + ": restarted within session.timeout.ms, it gets its "
                            + "partitions back without a rebalance (serving again within seconds of a crash "
                            + "rather than after the 45 s session timeout). false: dynamic membership, and "
                            + GROUP_INSTANCE_ID_CONFIG
                            + " must be unset. A graceful stop leaves the group either way.")
            .define(GROUP_INSTANCE_ID_CONFIG, Type.STRING, null, nullOrNonBlank(), Importance.MEDIUM,
                    "Static membership id of this instance, unique per instance. Unset: derived from the host name "
                            + "and the absolute state.dir, <host>-<12 hex digits of its SHA-256>, unique because two "
                            + "instances cannot share a state directory; give each instance its own id where two "
                            + "hosts have one name and the same state.dir. Only with " + STATIC_MEMBERSHIP_CONFIG
                            + "=true.")
            .define(STATE_DIR_CONFIG, Type.STRING, System.getProperty("java.io.tmpdir") + "/qrnn-streams",
                    new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Directory of the local state stores (RocksDB); keep it across restarts to avoid restoring "
                            + "the state from the changelogs.",
                    null, -1, Width.NONE, STATE_DIR_CONFIG, List.of(), null, "${java.io.tmpdir}/qrnn-streams")
            .define(COMMIT_INTERVAL_MS_CONFIG, Type.LONG, 100L, Range.atLeast(1), Importance.MEDIUM,
                    "How often, in milliseconds, each stream thread commits its exactly-once transaction while "
                            + "its tasks work through a backlog; a task that keeps up with its input asks for "
                            + "commits sooner (" + COMMIT_CAUGHT_UP_INTERVAL_MS_CONFIG + "). Every commit waits for "
                            + "the transaction's sends to be acknowledged, so fewer commits leave more time for the "
                            + "model (BENCHMARKS.md, End-to-end).")
            .define(PRODUCER_RETRY_BACKOFF_MS_CONFIG, Type.LONG, 10L, Range.atLeast(0), Importance.LOW,
                    "How long, in milliseconds, the stream threads' producers wait before retrying a failed request "
                            + "(Kafka's retry.backoff.ms; it doubles on each further failure up to "
                            + "retry.backoff.max.ms). With Kafka's 100, a stream thread whose commit followed the "
                            + "previous one closely stalled for about 100 ms; 10 keeps such a stall short "
                            + "(BENCHMARKS.md, End-to-end).")
            .define(NUM_STREAM_THREADS_CONFIG, Type.INT, 2, Range.atLeast(1), Importance.LOW,
                    "Number of Kafka Streams threads of this instance; two by default, so one thread computes while the "
                            + "other waits on its exactly-once commit (BENCHMARKS.md, End-to-end).");

    private ServiceConfig(Merged merged) {
        super(CONFIG, merged.values(), Map.of(), false);
    }

    /**
     * Loads the configuration from its sources and checks every value.
     *
     * @param propertiesFile a Java properties file (UTF-8), if any
     * @param environment the process environment ({@code System.getenv()}); only {@code QRNN_*},
     *     {@code SCHEMA_REGISTRY_*} and {@code KAFKA_*} variables are read
     * @param overrides settings given on the command line, by setting name; they win over every other source
     * @throws ConfigException naming the setting and its source, when a value is invalid, a {@code qrnn.*}
     *     setting is unknown, or the file cannot be read
     */
    public static ServiceConfig load(Optional<Path> propertiesFile, Map<String, String> environment,
                                     Map<String, String> overrides) {
        Merged merged = new Merged();
        if (propertiesFile.isPresent()) {
            Path file = propertiesFile.get();
            String source = "properties file " + file;
            readProperties(file).forEach((name, value) -> merged.put(name, value, source));
        }
        environment.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(variable -> settingOfVariable(variable.getKey()).ifPresent(name -> {
                    if (Namespace.of(name) == Namespace.QRNN && !CONFIG.names().contains(name)) {
                        LOG.warn("Ignoring environment variable {}: the service has no setting {}", variable.getKey(),
                                name);
                    } else {
                        merged.put(name, variable.getValue(), "environment variable " + variable.getKey());
                    }
                }));
        overrides.forEach((name, value) -> merged.put(name, value, OVERRIDE_SOURCE));
        merged.check();
        return new ServiceConfig(merged);
    }

    /** Every setting at its declared default. */
    public static ServiceConfig defaults() {
        return load(Optional.empty(), Map.of(), Map.of());
    }

    /** A copy of the declarations, for tools that list or validate the settings. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /**
     * The environment variable that sets {@code setting}: upper case, {@code .} replaced by {@code _}, and
     * {@value #KAFKA_ENV_PREFIX} in front for Kafka settings (names outside {@code qrnn.*} and
     * {@code schema.registry.*}).
     */
    public static String environmentVariable(String setting) {
        String upper = setting.toUpperCase(Locale.ROOT).replace('.', '_');
        return Namespace.of(setting) == Namespace.KAFKA ? KAFKA_ENV_PREFIX + upper : upper;
    }

    /**
     * The setting an environment variable sets, if it is one the service reads: the inverse of
     * {@link #environmentVariable}. {@code KAFKA_QRNN_*} and {@code KAFKA_SCHEMA_REGISTRY_*} name none.
     */
    public static Optional<String> settingOfVariable(String variable) {
        Optional<String> setting;
        if (variable.startsWith(QRNN_ENV_PREFIX) || variable.startsWith(SCHEMA_REGISTRY_ENV_PREFIX)) {
            setting = Optional.of(variableToName(variable));
        } else if (variable.startsWith(KAFKA_ENV_PREFIX) && variable.length() > KAFKA_ENV_PREFIX.length()) {
            setting = Optional.of(variableToName(variable.substring(KAFKA_ENV_PREFIX.length())))
                    .filter(name -> Namespace.of(name) == Namespace.KAFKA);
        } else {
            setting = Optional.empty();
        }
        return setting;
    }

    /**
     * The configuration reference as a Markdown table, one row per declared setting in declaration order:
     * name, type, default, environment variable and description (with the valid values). The README's
     * configuration reference is this table.
     */
    public static String markdownReference() {
        StringBuilder table = new StringBuilder()
                .append("| setting | type | default | environment variable | description |\n")
                .append("|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey key : CONFIG.configKeys().values()) {
            String description = key.documentation
                    + (key.validator == null ? "" : " Valid values: " + key.validator + ".");
            table.append("| `").append(key.name).append("` | ")
                    .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(markdownDefault(key)).append(" | `")
                    .append(environmentVariable(key.name)).append("` | ")
                    .append(markdownCell(description)).append(" |\n");
        }
        return table.toString();
    }

    /**
     * The Kafka Streams configuration: every declared Kafka setting that has a value
     * ({@code application.id}, {@code bootstrap.servers}, {@code processing.guarantee}, {@code state.dir},
     * {@code num.stream.threads}, and {@code group.instance.id}: {@link #groupInstanceId()}), every Kafka
     * setting passed through, and, unless {@code rocksdb.config.setter} is set, {@link SharedRocksDbMemory}
     * with {@value #ROCKSDB_MEMORY_BYTES_CONFIG}, all as strings.
     */
    public Properties streamsProperties() {
        Properties properties = new Properties();
        originalsStrings().forEach((name, value) -> {
            if (Namespace.of(name) == Namespace.KAFKA && !CONFIG.names().contains(name)) {
                properties.setProperty(name, value);
            }
        });
        for (ConfigDef.ConfigKey key : CONFIG.configKeys().values()) {
            Object value = get(key.name);
            if (Namespace.of(key.name) == Namespace.KAFKA && value != null) {
                properties.setProperty(key.name, ConfigDef.convertToString(value, key.type));
            }
        }
        groupInstanceId().ifPresent(id -> properties.setProperty(GROUP_INSTANCE_ID_CONFIG, id));
        long rocksDbBytes = getLong(ROCKSDB_MEMORY_BYTES_CONFIG);
        if (rocksDbBytes > 0 && !properties.containsKey(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)) {
            properties.setProperty(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, SharedRocksDbMemory.class.getName());
            properties.setProperty(ROCKSDB_MEMORY_BYTES_CONFIG, Long.toString(rocksDbBytes));
        }
        return properties;
    }

    /**
     * The static membership id: {@value #GROUP_INSTANCE_ID_CONFIG} when set, else derived from the host
     * name and {@value #STATE_DIR_CONFIG} ({@link StaticMemberId}); empty for dynamic membership
     * ({@value #STATIC_MEMBERSHIP_CONFIG} false, or a host without a name).
     */
    public Optional<String> groupInstanceId() {
        if (!getBoolean(STATIC_MEMBERSHIP_CONFIG)) {
            return Optional.empty();
        }
        String configured = getString(GROUP_INSTANCE_ID_CONFIG);
        return configured != null ? Optional.of(configured) : StaticMemberId.derive(getString(STATE_DIR_CONFIG));
    }

    /** The schema registry URLs ({@value #SCHEMA_REGISTRY_URL_CONFIG}). */
    public List<String> schemaRegistryUrls() {
        return List.copyOf(getList(SCHEMA_REGISTRY_URL_CONFIG));
    }

    /**
     * The settings for the Confluent schema registry client: every {@code schema.registry.*} setting other
     * than the URL. The client reads its TLS settings inside its own {@code schema.registry.} namespace
     * ({@code schema.registry.ssl.truststore.location}) and the others without it
     * ({@code basic.auth.user.info}), so each setting is given under both names.
     */
    public Map<String, Object> schemaRegistryClientConfig() {
        Map<String, Object> client = new LinkedHashMap<>();
        originalsWithPrefix(SCHEMA_REGISTRY_PREFIX, true).forEach((name, value) -> {
            if (!(SCHEMA_REGISTRY_PREFIX + name).equals(SCHEMA_REGISTRY_URL_CONFIG)) {
                client.put(name, value);
                client.put(SCHEMA_REGISTRY_PREFIX + name, value);
            }
        });
        return Collections.unmodifiableMap(client);
    }

    /** The application id ({@value #APPLICATION_ID_CONFIG}). */
    public String applicationId() {
        return getString(APPLICATION_ID_CONFIG);
    }

    /** Whether the serializers register schemas ({@value #AUTO_REGISTER_SCHEMAS_CONFIG}). */
    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    /** The input topic ({@value #INPUT_TOPIC_CONFIG}). */
    public String inputTopic() {
        return getString(INPUT_TOPIC_CONFIG);
    }

    /** The classifications topic ({@value #CLASSIFICATIONS_TOPIC_CONFIG}). */
    public String classificationsTopic() {
        return getString(CLASSIFICATIONS_TOPIC_CONFIG);
    }

    /** The translations topic ({@value #TRANSLATIONS_TOPIC_CONFIG}). */
    public String translationsTopic() {
        return getString(TRANSLATIONS_TOPIC_CONFIG);
    }

    /** The dead-letter topic ({@value #DLQ_TOPIC_CONFIG}). */
    public String dlqTopic() {
        return getString(DLQ_TOPIC_CONFIG);
    }

    /** The models by name, in the order given ({@value #MODELS_CONFIG}). */
    public Map<String, Path> models() {
        return parseModels(MODELS_CONFIG, getList(MODELS_CONFIG));
    }

    /** The model for events that name none ({@value #DEFAULT_MODEL_CONFIG}); one of {@link #models()}. */
    public String defaultModel() {
        return getString(DEFAULT_MODEL_CONFIG);
    }

    /** The most records per batched forward pass ({@value #BATCH_MAX_RECORDS_CONFIG}). */
    public int batchMaxRecords() {
        return getInt(BATCH_MAX_RECORDS_CONFIG);
    }

    /** The most time a record waits in the buffer ({@value #BATCH_MAX_LATENCY_MS_CONFIG}). */
    public Duration batchMaxLatency() {
        return Duration.ofMillis(getLong(BATCH_MAX_LATENCY_MS_CONFIG));
    }

    /**
     * When a task asks for a commit before {@value #COMMIT_INTERVAL_MS_CONFIG}
     * ({@value #COMMIT_CAUGHT_UP_INTERVAL_MS_CONFIG}, {@value #COMMIT_BACKLOG_AGE_MS_CONFIG}).
     */
    public EarlyCommits earlyCommits() {
        return new EarlyCommits(Duration.ofMillis(getLong(COMMIT_CAUGHT_UP_INTERVAL_MS_CONFIG)),
                Duration.ofMillis(getLong(COMMIT_BACKLOG_AGE_MS_CONFIG)));
    }

    /** The longest accepted text in characters ({@value #TEXT_MAX_CHARS_CONFIG}). */
    public int textMaxChars() {
        return getInt(TEXT_MAX_CHARS_CONFIG);
    }

    /**
     * The bounds on inputs and writes ({@value #TEXT_MAX_CHARS_CONFIG}, {@value #KEY_MAX_BYTES_CONFIG},
     * {@value #VALUE_MAX_BYTES_CONFIG}, {@value #RECORD_MAX_BYTES_CONFIG}, {@value #DLQ_RAW_MAX_BYTES_CONFIG}).
     */
    public RecordLimits recordLimits() {
        return limitsOf(this::getInt);
    }

    private static RecordLimits limitsOf(Function<String, Integer> value) {
        return new RecordLimits(value.apply(KEY_MAX_BYTES_CONFIG), value.apply(VALUE_MAX_BYTES_CONFIG),
                value.apply(TEXT_MAX_CHARS_CONFIG), value.apply(RECORD_MAX_BYTES_CONFIG),
                value.apply(DLQ_RAW_MAX_BYTES_CONFIG));
    }

    /** The idle time after which a key's state expires ({@value #STATE_IDLE_TIMEOUT_MS_CONFIG}). */
    public Duration stateIdleTimeout() {
        return Duration.ofMillis(getLong(STATE_IDLE_TIMEOUT_MS_CONFIG));
    }

    /** The interval of the expiry scan ({@value #STATE_EXPIRY_SCAN_INTERVAL_MS_CONFIG}). */
    public Duration stateExpiryScanInterval() {
        return Duration.ofMillis(getLong(STATE_EXPIRY_SCAN_INTERVAL_MS_CONFIG));
    }

    /** The precision of the stored state ({@value #STATE_PRECISION_CONFIG}). */
    public QrnnStateCodec.Precision statePrecision() {
        return QrnnStateCodec.Precision.valueOf(getString(STATE_PRECISION_CONFIG).toUpperCase(Locale.ROOT));
    }

    /** The inference backend ({@value #BACKEND_CONFIG}). */
    public BackendKind backend() {
        return BackendKind.parse(getString(BACKEND_CONFIG));
    }

    /** The number of Kafka Streams threads of this instance ({@value #NUM_STREAM_THREADS_CONFIG}). */
    public int numStreamThreads() {
        return getInt(NUM_STREAM_THREADS_CONFIG);
    }

    /**
     * The cores over which one stream thread's CPU kernels split their work ({@value #INFERENCE_THREADS_CONFIG}):
     * as set, or for 0 the available processors divided by {@value #NUM_STREAM_THREADS_CONFIG}, at least 1.
     */
    public int inferenceThreads() {
        int set = getInt(INFERENCE_THREADS_CONFIG);
        return set > 0 ? set : Math.max(1, Runtime.getRuntime().availableProcessors() / numStreamThreads());
    }

    /** The port of the Prometheus endpoint, 0 for any free port; empty when turned off ({@value #METRICS_PORT_CONFIG}). */
    public OptionalInt metricsPort() {
        int port = getInt(METRICS_PORT_CONFIG);
        return port == METRICS_DISABLED ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** The translators' beam width, overriding their manifests'; empty when unset ({@value #TRANSLATION_BEAM_WIDTH_CONFIG}). */
    public OptionalInt translationBeamWidth() {
        return optionalInt(TRANSLATION_BEAM_WIDTH_CONFIG);
    }

    /** The longest translation in tokens, overriding the manifests'; empty when unset ({@value #TRANSLATION_MAX_LENGTH_CONFIG}). */
    public OptionalInt translationMaxLength() {
        return optionalInt(TRANSLATION_MAX_LENGTH_CONFIG);
    }

    /** The most source tokens of a translator key's open segment ({@value #TRANSLATION_SEGMENT_MAX_TOKENS_CONFIG}). */
    public int translationSegmentMaxTokens() {
        return getInt(TRANSLATION_SEGMENT_MAX_TOKENS_CONFIG);
    }

    /** How a translator whose manifest records {@code recorded} searches here: as recorded, but for the overrides set. */
    public DecodingSettings translationDecoding(DecodingSettings recorded) {
        DecodingSettings decoding = recorded;
        if (translationBeamWidth().isPresent()) {
            decoding = decoding.withBeamWidth(translationBeamWidth().getAsInt());
        }
        if (translationMaxLength().isPresent()) {
            decoding = decoding.withMaxLength(translationMaxLength().getAsInt());
        }
        return decoding;
    }

    private OptionalInt optionalInt(String setting) {
        Integer value = getInt(setting);
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    private enum Namespace {
        QRNN, SCHEMA_REGISTRY, KAFKA;

        static Namespace of(String setting) {
            if (setting.startsWith(QRNN_PREFIX)) {
                return QRNN;
            }
            return setting.startsWith(SCHEMA_REGISTRY_PREFIX) ? SCHEMA_REGISTRY : KAFKA;
        }
    }

    /** The values of all sources in precedence order, with the source that set each. */
    private static final class Merged {
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, String> sources = new LinkedHashMap<>();

        void put(String name, String value, String source) {
            if (Namespace.of(name) == Namespace.QRNN && !CONFIG.names().contains(name)) {
                throw new ConfigException("Unknown setting " + name + " in " + source + "; the qrnn.* settings are "
                        + String.join(", ", qrnnNames()));
            }
            values.put(name, value);
            sources.put(name, source);
        }

        Map<String, String> values() {
            return values;
        }

        /** Checks each given value against its declaration, then the settings that depend on each other. */
        void check() {
            Map<String, Object> parsed = new LinkedHashMap<>(CONFIG.defaultValues());
            values.forEach((name, value) -> {
                ConfigDef.ConfigKey key = CONFIG.configKeys().get(name);
                if (key != null) {
                    try {
                        Object typed = ConfigDef.parseType(name, value, key.type);
                        if (key.validator != null) {
                            key.validator.ensureValid(name, typed);
                        }
                        parsed.put(name, typed);
                    } catch (ConfigException e) {
                        throw new ConfigException("Invalid " + name + " from " + source(name) + ": "
                                + e.getMessage());
                    }
                }
            });
            checkDefaultModel(parsed);
            checkMembership(parsed);
            checkTopicsDistinct(parsed);
            checkLimits(parsed);
        }

        private void checkDefaultModel(Map<String, Object> parsed) {
            String defaultModel = (String) parsed.get(DEFAULT_MODEL_CONFIG);
            Set<String> names = parseModels(MODELS_CONFIG, (List<?>) parsed.get(MODELS_CONFIG)).keySet();
            if (!names.contains(defaultModel)) {
                throw new ConfigException("Invalid " + DEFAULT_MODEL_CONFIG + " from " + source(DEFAULT_MODEL_CONFIG)
                        + ": '" + defaultModel + "' is not one of the models in " + MODELS_CONFIG + " (from "
                        + source(MODELS_CONFIG) + "): " + names);
            }
        }

        private void checkMembership(Map<String, Object> parsed) {
            if (!(Boolean) parsed.get(STATIC_MEMBERSHIP_CONFIG) && parsed.get(GROUP_INSTANCE_ID_CONFIG) != null) {
                throw new ConfigException("Invalid " + GROUP_INSTANCE_ID_CONFIG + " from " + source(GROUP_INSTANCE_ID_CONFIG)
                        + ": it is set, but " + STATIC_MEMBERSHIP_CONFIG + " (from " + source(STATIC_MEMBERSHIP_CONFIG)
                        + ") is false; unset one of them");
            }
        }

        private void checkLimits(Map<String, Object> parsed) {
            try {
                limitsOf(name -> (Integer) parsed.get(name));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("Invalid " + RECORD_MAX_BYTES_CONFIG + " (from " + source(RECORD_MAX_BYTES_CONFIG)
                        + "), " + KEY_MAX_BYTES_CONFIG + " (from " + source(KEY_MAX_BYTES_CONFIG) + "), "
                        + VALUE_MAX_BYTES_CONFIG + " (from " + source(VALUE_MAX_BYTES_CONFIG) + ") or "
                        + DLQ_RAW_MAX_BYTES_CONFIG + " (from " + source(DLQ_RAW_MAX_BYTES_CONFIG) + "): "
                        + e.getMessage());
            }
        }

        private void checkTopicsDistinct(Map<String, Object> parsed) {
            Map<String, String> settingByTopic = new LinkedHashMap<>();
            for (String setting : List.of(INPUT_TOPIC_CONFIG, CLASSIFICATIONS_TOPIC_CONFIG, TRANSLATIONS_TOPIC_CONFIG,
                    DLQ_TOPIC_CONFIG)) {
                String topic = (String) parsed.get(setting);
                String earlier = settingByTopic.putIfAbsent(topic, setting);
                if (earlier != null) {
                    throw new ConfigException("Invalid " + setting + " from " + source(setting) + ": topic '" + topic
                            + "' is also " + earlier + " (from " + source(earlier) + "); the four topics must differ");
                }
            }
        }

        private String source(String setting) {
            return sources.getOrDefault(setting, DEFAULT_SOURCE);
        }
    }

    private static List<String> qrnnNames() {
        return CONFIG.names().stream().filter(name -> name.startsWith(QRNN_PREFIX)).sorted().toList();
    }

    private static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("Cannot read the properties file " + file + ": " + e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().stream().sorted()
                .forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }

    private static String variableToName(String variable) {
        return variable.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    private static String markdownDefault(ConfigDef.ConfigKey key) {
        if (key.alternativeString != null) {
            return "`" + key.alternativeString + "`";
        }
        if (key.defaultValue == null) {
            return "none";
        }
        return "`" + markdownCell(ConfigDef.convertToString(key.defaultValue, key.type)) + "`";
    }

    private static String markdownCell(String text) {
        return text.replace("|", "\\|").replace('\n', ' ');
    }

    private static Validator nonEmptyList(String element) {
        Validator list = ValidList.anyNonDuplicateValues(false, false);
        return LambdaValidator.with(list::ensureValid, () -> "one or more " + element + ", comma-separated, no duplicates");
    }

    private static Validator topicNameValidator() {
        return patternValidator(TOPIC_NAME, "1 to 249 of a-z A-Z 0-9 . _ -");
    }

    private static Validator patternValidator(Pattern pattern, String description) {
        return LambdaValidator.with((name, value) -> {
            if (value != null && !pattern.matcher(value.toString()).matches()) {
                throw new ConfigException(name, value, "must be " + description);
            }
        }, () -> description);
    }

    private static Validator modelsValidator() {
        String description = "name=directory, ...; names of a-z A-Z 0-9 . _ -, each once";
        return LambdaValidator.with((name, value) -> parseModels(name, (List<?>) value), () -> description);
    }

    /** The one parser of the model list: name=directory entries, in order. */
    private static Map<String, Path> parseModels(String setting, List<?> entries) {
        if (entries == null || entries.isEmpty()) {
            throw new ConfigException(setting, entries, "at least one model is needed");
        }
        Map<String, Path> models = new LinkedHashMap<>();
        for (Object entry : entries) {
            String text = entry.toString();
            int equals = text.indexOf('=');
            String model = equals < 0 ? "" : text.substring(0, equals).trim();
            String directory = equals < 0 ? "" : text.substring(equals + 1).trim();
            if (!MODEL_NAME.matcher(model).matches() || directory.isEmpty()) {
                throw new ConfigException(setting, entries, "'" + text + "' is not name=directory");
            }
            if (models.put(model, Path.of(directory)) != null) {
                throw new ConfigException(setting, entries, "model '" + model + "' is given twice");
            }
        }
        return Collections.unmodifiableMap(models);
    }

    private static Validator lowerCaseNames(Enum<?>[] values) {
        return ValidString.in(Stream.of(values).map(value -> value.name().toLowerCase(Locale.ROOT))
                .toArray(String[]::new));
    }

    private static Validator nullOrAtLeastOne() {
        Range atLeastOne = Range.atLeast(1);
        return LambdaValidator.with((name, value) -> {
            if (value != null) {
                atLeastOne.ensureValid(name, value);
            }
        }, () -> "unset, or " + atLeastOne);
    }

    private static Validator portValidator() {
        return LambdaValidator.with((name, value) -> {
            int port = (Integer) value;
            if (port != METRICS_DISABLED && (port < 0 || port > MAX_PORT)) {
                throw new ConfigException(name, value, "must be -1 (off) or a port from 0 to " + MAX_PORT);
            }
        }, () -> "-1 (off), 0 (any free port) to " + MAX_PORT);
    }

    private static Validator nullOrNonBlank() {
        return LambdaValidator.with((name, value) -> {
            if (value != null && value.toString().isBlank()) {
                throw new ConfigException(name, value, "must not be blank; leave it unset for the derived id");
            }
        }, () -> "unset, or a non-blank id");
    }
}
