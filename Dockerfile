# The service image: built with Maven, run on a JRE. Used by docker-compose.yml; configured only through
# environment variables (QRNN_*, KAFKA_*, SCHEMA_REGISTRY_*; see the README's configuration reference).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, in their own layer, so that a change to the sources does not download them again.
COPY pom.xml .
RUN mvn -B -ntp -q dependency:resolve
COPY config config
COPY schemas schemas
COPY src/main src/main
# target/classes, and the runtime dependencies in target/lib.
RUN mvn -B -ntp -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --create-home --uid 10001 qrnn \
    && mkdir -p /var/lib/qrnn-streams \
    && chown qrnn /var/lib/qrnn-streams
WORKDIR /app
COPY --from=build /src/target/classes /app/classes
COPY --from=build /src/target/lib /app/lib
COPY models /app/models
USER qrnn
ENV KAFKA_STATE_DIR=/var/lib/qrnn-streams \
    QRNN_METRICS_PORT=9464 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
EXPOSE 9464
VOLUME ["/var/lib/qrnn-streams"]
# Exec form: java is PID 1 and receives SIGTERM from `docker stop` for a graceful shutdown.
ENTRYPOINT ["java", "--add-modules", "jdk.incubator.vector", "-cp", "/app/classes:/app/lib/*", "dev.qrnnstreams.cli.Main", "run"]
