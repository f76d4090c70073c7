# Builds the service image: the all-in-one job-api jar. The same image runs the standalone processor
# (see docker-compose.yml) through Spring Boot's PropertiesLauncher.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -q -B -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/job-api/target/job-api-*-exec.jar /app/jobline.jar
ENV JOBLINE_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["java", "-Xmx1g", "-XX:+UseSerialGC", "-XX:MetaspaceSize=160m", "-jar", "/app/jobline.jar"]
