package org.aipipeline.runner.platform.entity;

public record Pagination(int pageNumber, int pageSize, int totalPages, long totalCount,
                         boolean hasPreviousPage, boolean hasNextPage) {

    public static Pagination of(PageRequest request, long totalCount) {
        int totalPages = (int) ((totalCount + request.pageSize() - 1) / request.pageSize());
        return new Pagination(request.pageNumber(), request.pageSize(), totalPages, totalCount,
                request.pageNumber() > 1, request.pageNumber() < totalPages);
    }
}
