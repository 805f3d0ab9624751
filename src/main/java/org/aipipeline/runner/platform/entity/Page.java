package org.aipipeline.runner.platform.entity;

import java.util.List;
import java.util.function.Function;

/** The spec's list wrapper: {@code {"items": [...], "pagination": {...}}}. */
public record Page<T>(List<T> items, Pagination pagination) {

    public static <T> Page<T> of(List<T> items, PageRequest request, long totalCount) {
        return new Page<>(List.copyOf(items), Pagination.of(request, totalCount));
    }

    public <R> Page<R> map(Function<? super T, ? extends R> mapper) {
        return new Page<>(items.stream().<R>map(mapper).toList(), pagination);
    }
}
