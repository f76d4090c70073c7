package io.jobline.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import io.jobline.schemas.topic.JobTopics;

class SchemaHistoryCheckTest {

    private static final String SUBJECT = "things-value";
    private static final Schema V1 = parse("""
            {"type":"record","name":"Thing","fields":[{"name":"id","type":"string"}]}""");
    private static final Schema WITH_DEFAULTED_FIELD = parse("""
            {"type":"record","name":"Thing","fields":[{"name":"id","type":"string"},
             {"name":"color","type":"string","default":"red"}]}""");
    private static final Schema WITH_REQUIRED_FIELD = parse("""
            {"type":"record","name":"Thing","fields":[{"name":"id","type":"string"},
             {"name":"size","type":"int"}]}""");

    @Test
    void shouldPassTheCommittedHistoryOfTheRealTopics() {
        assertThat(SchemaHistoryCheck.check(SchemaHistory.load(), JobTopics.valueSchemasBySubject())).isEmpty();
    }

    @Test
    void shouldGiveEverySubjectDistinctIdsAndResolveThem() {
        SchemaHistory history = SchemaHistory.load();
        EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(history);

        JobTopics.valueSchemasBySubject().forEach((subject, schema) ->
                assertThat(registry.schemaById(registry.idFor(subject, schema))).isEqualTo(schema));
        assertThat(history.subjects()).containsExactly("api-keys-value", "job-commands-value", "job-events-value", "job-offers-value", "job-types-value",
                "webhook-attempts-value", "webhook-subscriptions-value", "workers-value");
    }

    @Test
    void shouldAcceptTheCurrentSchemaWhenItIsTheLatestVersion() {
        SchemaHistory history = new SchemaHistory(List.of(new RegisteredSchema(1, SUBJECT, 1, V1)));

        assertThat(SchemaHistoryCheck.check(history, Map.of(SUBJECT, V1))).isEmpty();
    }

    @Test
    void shouldAskToRegisterACompatibleChangeAsTheNextVersion() {
        SchemaHistory history = new SchemaHistory(List.of(new RegisteredSchema(1, SUBJECT, 1, V1)));

        assertThat(SchemaHistoryCheck.check(history, Map.of(SUBJECT, WITH_DEFAULTED_FIELD)))
                .singleElement().asString().contains("it is compatible: register it as registry/things-value/v2.avsc");
    }

    @Test
    void shouldFailAChangeThatCannotReadOlderData() {
        SchemaHistory history = new SchemaHistory(List.of(new RegisteredSchema(1, SUBJECT, 1, V1)));

        assertThat(SchemaHistoryCheck.check(history, Map.of(SUBJECT, WITH_REQUIRED_FIELD)))
                .anySatisfy(p -> assertThat(p).contains("cannot read data written with v1").contains("size"))
                .anySatisfy(p -> assertThat(p).contains("not backward compatible"));
    }

    @Test
    void shouldFailAnIncompatibleVersionInTheHistoryItself() {
        SchemaHistory history = new SchemaHistory(List.of(
                new RegisteredSchema(1, SUBJECT, 1, V1),
                new RegisteredSchema(2, SUBJECT, 2, WITH_REQUIRED_FIELD)));

        assertThat(SchemaHistoryCheck.check(history, Map.of(SUBJECT, WITH_REQUIRED_FIELD)))
                .singleElement().asString().contains("v2 cannot read data written with v1");
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
