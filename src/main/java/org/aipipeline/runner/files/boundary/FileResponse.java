package org.aipipeline.runner.files.boundary;

/** The spec's single-resource wrapper {@code {"file": {...}}}. */
public record FileResponse(FileView file) {}
