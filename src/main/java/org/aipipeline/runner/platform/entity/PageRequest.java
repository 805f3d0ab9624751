package org.aipipeline.runner.platform.entity;

import java.util.regex.Pattern;
import org.aipipeline.runner.platform.control.RunnerException;

/**
 * A validated page request. Query parameters arrive as strings so that a non-numeric or
 * out-of-range value becomes a clear 400 instead of a silent clamp (or Jersey's 404).
 */
public record PageRequest(int pageNumber, int pageSize) {

    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 100;
    private static final Pattern ASCII_NUMBER = Pattern.compile("[+-]?[0-9]{1,10}");

    public static PageRequest parse(String pageNumber, String pageSize) {
        int number = parse("pageNumber", pageNumber, 1, 1, Integer.MAX_VALUE);
        int size = parse("pageSize", pageSize, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        return new PageRequest(number, size);
    }

    private static int parse(String name, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        String digits = raw.trim();
        int value;
        try {
            // ASCII only: Integer.parseInt would also take other scripts' digits ("１" is 1)
            if (!ASCII_NUMBER.matcher(digits).matches()) {
                throw new NumberFormatException(digits);
            }
            value = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new RunnerException.BadInput(name + " must be a whole number, got '" + raw + "'");
        }
        if (value < min || value > max) {
            throw new RunnerException.BadInput(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public int offset() {
        return (int) Math.min(Integer.MAX_VALUE, (long) (pageNumber - 1) * pageSize);
    }
}
