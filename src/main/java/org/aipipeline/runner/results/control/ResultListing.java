package org.aipipeline.runner.results.control;

/**
 * The two paged lists of results and the SQL that pages each through its own index. Paging
 * selects only ids (plus one to learn whether a next page exists): the index holds them, so a
 * first page, a page after a cursor and even an OFFSET skip read only the index, never the rows
 * they pass over; the page's rows are then loaded by primary key.
 */
public enum ResultListing {

    /** GET /PipelineResults: the caller's results, newest first; index pipeline_results_user_newest (V4). */
    USER_NEWEST_FIRST('U', "user_id", true),
    /** GET /PipelineResults/Batch/{id}: a batch's results in creation order; index pipeline_results_batch_oldest (V6). */
    BATCH_OLDEST_FIRST('B', "batch_id", false);

    private final char code;
    private final String offsetSql;
    private final String keysetSql;

    ResultListing(char code, String scopeColumn, boolean newestFirst) {
        this.code = code;
        String direction = newestFirst ? " desc" : "";
        String where = "select id from pipeline_results where " + scopeColumn + " = ?";
        String order = " order by created_at" + direction + ", id" + direction + " limit ?";
        this.offsetSql = where + order + " offset ?";
        // A row-value comparison, so PostgreSQL makes the whole key an index condition.
        this.keysetSql = where + " and (created_at, id) " + (newestFirst ? "<" : ">") + " (?, ?)" + order;
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
