package io.jobline.schemas.serde;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro only instantiates classes it trusts. Trusts exactly the generated classes of the records and enums a serde
 * reads or writes, on top of Avro's defaults.
 */
final class TrustedClasses {

    private static final Set<String> TRUSTED = new HashSet<>();

    private TrustedClasses() {
    }

    static synchronized void trust(Schema schema) {
        ClassSecurityValidator.Builder builder = ClassSecurityValidator.builder();
        boolean added = false;
        Deque<Schema> pending = new ArrayDeque<>(Set.of(schema));
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            Schema next = pending.pop();
            switch (next.getType()) {
                case RECORD -> {
                    if (seen.add(next.getFullName())) {
                        if (TRUSTED.add(next.getFullName())) {
                            builder.add(next.getFullName());
                            added = true;
                        }
                        next.getFields().forEach(f -> pending.push(f.schema()));
                    }
                }
                case ENUM -> {
                    if (seen.add(next.getFullName()) && TRUSTED.add(next.getFullName())) {
                        builder.add(next.getFullName());
                        added = true;
                    }
                }
                case UNION -> next.getTypes().forEach(pending::push);
                case ARRAY -> pending.push(next.getElementType());
                case MAP -> pending.push(next.getValueType());
                default -> { }
            }
        }
        if (added) {
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), builder.build()));
        }
    }
}
