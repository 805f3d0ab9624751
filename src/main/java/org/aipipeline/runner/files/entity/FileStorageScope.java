package org.aipipeline.runner.files.entity;

import java.util.Arrays;
import java.util.Optional;

/** A file's storage scope under its REST names ({@code LongTerm}, {@code ShortTerm}, {@code Temporary}). */
public enum FileStorageScope {
    LONG_TERM("LongTerm"),
    SHORT_TERM("ShortTerm"),
    TEMPORARY("Temporary");

    private final String restName;

    FileStorageScope(String restName) {
        this.restName = restName;
    }

    public String restName() {
        return restName;
    }

    /** Case-insensitive, as query parameters and form fields are typed by people. */
    public static Optional<FileStorageScope> ofRestName(String name) {
        return Arrays.stream(values())
                .filter(s -> s.restName.equalsIgnoreCase(name == null ? "" : name.strip()))
                .findFirst();
    }
}
