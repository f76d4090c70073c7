package io.jobline.api.openapi;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;

/** OpenAPI 3.1 has no "nullable": a member that may be null has "null" among its types. */
final class Nullables {

    private Nullables() {
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static Schema allowNull(Schema property) {
        if (property.get$ref() != null) {
            // A reference takes no siblings that change it: either the referenced schema, or null.
            Schema either = new JsonSchema();
            either.setAnyOf(List.of(new JsonSchema().$ref(property.get$ref()), new JsonSchema().types(Set.of("null"))));
            either.setDescription(property.getDescription());
            return either;
        }
        Set<String> types = property.getTypes() != null ? new LinkedHashSet<>(property.getTypes())
                : property.getType() != null ? new LinkedHashSet<>(List.of(property.getType())) : null;
        if (types == null || types.isEmpty()) {
            return property; // any value already, null included
        }
        types.add("null");
        property.setTypes(types);
        property.setNullable(null);
        return property;
    }
}
