package io.jobline.api.system;

/** The cluster this process talks to: the embedded broker it owns, or an external one it only connects to. */
final class BrokerConnection implements AutoCloseable {

    private final String bootstrapServers;
    private final EmbeddedKafkaBroker broker;

    private BrokerConnection(String bootstrapServers, EmbeddedKafkaBroker broker) {
        this.bootstrapServers = bootstrapServers;
        this.broker = broker;
    }

    static BrokerConnection embedded(EmbeddedKafkaBroker broker) {
        return new BrokerConnection(broker.bootstrapServers(), broker);
    }

    static BrokerConnection external(String bootstrapServers) {
        return new BrokerConnection(bootstrapServers, null);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    boolean isEmbedded() {
        return broker != null;
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
