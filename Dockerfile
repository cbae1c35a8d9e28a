# ReliAPI container: the same shaded jar the tests use (target/reliapi.jar), built with Maven on a
# JDK 25 image and run on a JRE 25 image as a non-root user.
#   docker build -t reliapi/reliapi .
#   docker run -p 8000:8000 -v $(pwd)/config.yaml:/app/config.yaml reliapi/reliapi
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src ./src
RUN mvn -q -B -DskipTests package

FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 --home-dir /app reliapi
WORKDIR /app
COPY --from=build /src/target/reliapi.jar /app/reliapi.jar
USER reliapi
EXPOSE 8000
ENV RELIAPI_CONFIG=/app/config.yaml \
    RELIAPI_HOST=0.0.0.0 \
    RELIAPI_PORT=8000 \
    MALLOC_ARENA_MAX=2
# The probe asks http:// and, with server.tls on, falls back to https:// (any certificate: it checks liveness, not
# identity); with server.tls.client_auth: require it has no client certificate (docs/operations.md, TLS on the listener).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["java", "-cp", "/app/reliapi.jar", "io.reliapi.HealthCheck", "http://127.0.0.1:8000/healthz"]
# The JVM options of bin/reliapi (docs/performance.md, "What changed, and what each bought"): a small heap kept by
# the serial collector (survivor spaces used to 90% before early promotion, the heap shrunk at once after the
# gateway's own full collections: docs/operations.md, HeapKeeper), compact object headers, native memory given
# back, Netty allowed its direct buffer access. Docker's default seccomp profile forbids io_uring, so the image
# runs on epoll unless started with a profile that allows it (server.transport in docs/configuration.md).
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xms24m", "-Xmn16m", "-XX:SurvivorRatio=4", "-XX:TargetSurvivorRatio=90", "-XX:MaxHeapFreeRatio=40", \
  "-XX:-ShrinkHeapInSteps", "-XX:+UseCompactObjectHeaders", "-XX:TrimNativeHeapInterval=2000", "-XX:+ExitOnOutOfMemoryError", \
  "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/reliapi.jar"]
