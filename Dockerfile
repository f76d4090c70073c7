# Builds the service image: the all-in-one job-api jar. The same image runs the standalone processor
# (see docker-compose.yml) through Spring Boot's PropertiesLauncher.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -q -B -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
# Runs as a user of its own, not root; it owns only its data folder.
RUN groupadd --system --gid 10001 jobline && useradd --system --uid 10001 --gid jobline --home-dir /app jobline \
    && mkdir -p /data && chown jobline:jobline /data
COPY --from=build /src/job-api/target/job-api-*-exec.jar /app/jobline.jar
ENV JOBLINE_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
USER 10001:10001
# Ready means it answers for every job it should (README: Health); bash's /dev/tcp, as the image has no curl.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-8080} && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-Xmx1g", "-XX:+UseSerialGC", "-XX:MetaspaceSize=160m", "-jar", "/app/jobline.jar"]
