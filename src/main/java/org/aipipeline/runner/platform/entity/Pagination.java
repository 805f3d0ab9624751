package org.aipipeline.runner.platform.entity;

import jakarta.json.JsonObjectBuilder;

public record Pagination(
        int pageNumber, int pageSize, int totalPages, long totalCount, boolean hasPreviousPage, boolean hasNextPage) {

    public static Pagination of(PageRequest request, long totalCount) {
        int totalPages = (int) ((totalCount + request.pageSize() - 1) / request.pageSize());
        return new Pagination(
                request.pageNumber(),
                request.pageSize(),
                totalPages,
                totalCount,
                request.pageNumber() > 1,
                request.pageNumber() < totalPages);
    }

    /** The spec's six members, for JSON-P writers that add their own after them. */
    public JsonObjectBuilder toJson() {
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add("pageNumber", pageNumber)
                .add("pageSize", pageSize)
                .add("totalPages", totalPages)
                .add("totalCount", totalCount)
                .add("hasPreviousPage", hasPreviousPage)
                .add("hasNextPage", hasNextPage);
    }
}
