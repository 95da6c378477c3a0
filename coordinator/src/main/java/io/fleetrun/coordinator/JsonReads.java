package io.fleetrun.coordinator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of the current token of a streaming parser, each failing with a 400 {@link
 * ApiException} that names the field and the expected type. No coercion: {@code "5"} is not a
 * number and {@code 5.0} is not an integer.
 */
final class JsonReads {
  private JsonReads() {}

  static void expect(JsonParser p, JsonToken token, String field, String what) {
    if (p.currentToken() != token) {
      throw wrongType(p, field, what);
    }
  }

  static String string(JsonParser p, String field) throws IOException {
    expect(p, JsonToken.VALUE_STRING, field, "a string");
    return p.getText();
  }

  static long integer(JsonParser p, String field) throws IOException {
    expect(p, JsonToken.VALUE_NUMBER_INT, field, "an integer");
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw ApiException.badRequest(field + " is out of range: " + p.getText(), field);
    }
    return p.getLongValue();
  }

  static List<String> stringList(JsonParser p, String field) throws IOException {
    expect(p, JsonToken.START_ARRAY, field, "an array of strings");
    List<String> list = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      list.add(string(p, field + "[" + list.size() + "]"));
    }
    return list;
  }

  /** An object whose values are all strings; keys are checked by {@link FieldRules#envKey}. */
  static Map<String, String> env(JsonParser p, String field) throws IOException {
    expect(p, JsonToken.START_OBJECT, field, "an object of strings");
    Map<String, String> env = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = FieldRules.envKey(p.currentName(), field);
      p.nextToken();
      String value = string(p, field + "." + key);
      env.put(key, FieldRules.envValue(key, value, field + "." + key));
    }
    return env;
  }

  private static ApiException wrongType(JsonParser p, String field, String what) {
    JsonToken t = p.currentToken();
    String got = switch (t == null ? JsonToken.NOT_AVAILABLE : t) {
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a decimal number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> String.valueOf(t);
    };
    return ApiException.badRequest(field + " must be " + what + ", got " + got, field);
  }
}
