package io.jobline.schemas.serde;

/**
 * The Confluent wire format: magic byte 0, the writer schema's id as a 4-byte big-endian int, then the Avro
 * binary encoding of the record. Stock Confluent deserializers read what we write and vice versa.
 */
final class WireFormat {

    static final byte MAGIC_BYTE = 0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    static String valueSubject(String topic) {
        return topic + "-value";
    }

    static String keySubject(String topic) {
        return topic + "-key";
    }
}
