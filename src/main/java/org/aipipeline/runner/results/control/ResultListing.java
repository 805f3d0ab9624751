package org.aipipeline.runner.results.control;

import org.aipipeline.runner.results.entity.RunStatus;

/**
 * The two paged lists of results and the SQL that pages each through its own index. Paging
 * selects only ids (plus one to learn whether a next page exists): the index holds them, so a
 * first page, a page after a cursor and even an OFFSET skip read only the index, never the rows
 * they pass over; the page's rows are then loaded by primary key.
 */
public enum ResultListing {

    /** GET /PipelineResults: the caller's results, newest first; index pipeline_results_user_newest (V4). */
    USER_NEWEST_FIRST('U', "user_id", true),
    /*
     * GET /PipelineResults?status=: one listing per status, so a cursor names its filter and is
     * refused by another; the status is a literal of the SQL, and index
     * pipeline_results_user_status_newest (V11) serves each as a range scan.
     */
    USER_RUNNING_NEWEST_FIRST('r', "user_id", RunStatus.Running),
    USER_SUCCEEDED_NEWEST_FIRST('s', "user_id", RunStatus.Succeeded),
    USER_FAILED_NEWEST_FIRST('f', "user_id", RunStatus.Failed),
    USER_CANCELLED_NEWEST_FIRST('c', "user_id", RunStatus.Cancelled),
    /** GET /PipelineResults/Batch/{id}: a batch's results in creation order; index pipeline_results_batch_oldest (V6). */
    BATCH_OLDEST_FIRST('B', "batch_id", false);

    private final char code;
    private final String offsetSql;
    private final String keysetSql;
    private final RunStatus status;

    ResultListing(char code, String scopeColumn, RunStatus status) {
        this(code, scopeColumn, true, status);
    }

    ResultListing(char code, String scopeColumn, boolean newestFirst) {
        this(code, scopeColumn, newestFirst, null);
    }

    ResultListing(char code, String scopeColumn, boolean newestFirst, RunStatus status) {
        this.code = code;
        this.status = status;
        String direction = newestFirst ? " desc" : "";
        String where = "select id from pipeline_results where " + scopeColumn + " = ?"
                + (status == null ? "" : " and status = '" + status.name() + "'");
        String order = " order by created_at" + direction + ", id" + direction + " limit ?";
        this.offsetSql = where + order + " offset ?";
        // A row-value comparison, so PostgreSQL makes the whole key an index condition.
        this.keysetSql = where + " and (created_at, id) " + (newestFirst ? "<" : ">") + " (?, ?)" + order;
    }

    /** The caller's results, all or only those of {@code status} (null: all). */
    public static ResultListing ofUser(RunStatus status) {
        if (status == null) {
            return USER_NEWEST_FIRST;
        }
        for (ResultListing listing : values()) {
            if (listing.status == status) {
                return listing;
            }
        }
        throw new IllegalArgumentException("no listing for status " + status);
    }

    /** The status this listing is restricted to; null for all. */
    RunStatus status() {
        return status;
    }

    /** The one character that marks this listing's cursors. */
    char code() {
        return code;
    }

    /** Parameters: scope id, limit, offset. */
    String offsetSql() {
        return offsetSql;
    }

    /** Parameters: scope id, created_at and id of the cursor, limit. */
    String keysetSql() {
        return keysetSql;
    }

    static ResultListing ofCode(char code) {
        for (ResultListing listing : values()) {
            if (listing.code == code) {
                return listing;
            }
        }
        return null;
    }
}
