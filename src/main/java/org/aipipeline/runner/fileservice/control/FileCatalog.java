package org.aipipeline.runner.fileservice.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.aipipeline.runner.fileservice.entity.FileRecord;
import org.aipipeline.runner.fileservice.entity.FileScope;

/**
 * The File Service's metadata in table {@code fileservice_files}, over plain JDBC so the service
 * runs inside the runner and standalone alike. Every user-facing query is scoped by
 * {@code user_guid}: a file of another user is simply not there. Each method is one auto-commit
 * statement (or two reads), so no transaction manager is needed.
 */
public class FileCatalog {

    /** SQLState both PostgreSQL and H2 report for a unique or primary key violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    private static final String COLUMNS = "file_guid, user_guid, storage_scope, content_type, file_name, "
            + "size_bytes, path, storage_provider, created_at, expires_at";

    private final DataSource dataSource;

    public FileCatalog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A page of a user's files and how many there are in all. */
    public record Slice(List<FileRecord> items, long totalCount) {}

    /** Records a stored file; a file_guid already present (for any user) is ALREADY_EXISTS. */
    public void insert(FileRecord file) {
        String sql = "insert into fileservice_files (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, file.fileGuid());
            s.setObject(2, file.userGuid());
            s.setString(3, file.scope().name());
            s.setString(4, file.contentType());
            s.setString(5, file.fileName());
            s.setLong(6, file.sizeBytes());
            s.setString(7, file.path());
            s.setString(8, file.storageProvider());
            s.setObject(9, utc(file.createdAt()));
            s.setObject(10, file.expiresAt() == null ? null : utc(file.expiresAt()));
            s.executeUpdate();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw duplicate(file.fileGuid());
            }
            throw failure("store metadata of " + file.fileGuid(), e);
        }
    }

    /** Whether any user has a file with this id: ids are global, so a new file may not reuse it. */
    public boolean exists(UUID fileGuid) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select 1 from fileservice_files where file_guid = ?")) {
            s.setObject(1, fileGuid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failure("look up " + fileGuid, e);
        }
    }

    public Optional<FileRecord> find(UUID userGuid, UUID fileGuid) {
        List<FileRecord> found = query(
                "select " + COLUMNS + " from fileservice_files where user_guid = ? and file_guid = ?",
                List.of(userGuid, fileGuid));
        return found.stream().findFirst();
    }

    /** The user's files among {@code fileGuids}, in no particular order; unknown ids are left out. */
    public List<FileRecord> findAll(UUID userGuid, Collection<UUID> fileGuids) {
        if (fileGuids.isEmpty()) {
            return List.of();
        }
        String marks = fileGuids.stream().map(id -> "?").collect(Collectors.joining(", "));
        List<Object> parameters = new ArrayList<>();
        parameters.add(userGuid);
        parameters.addAll(fileGuids);
        return query(
                "select " + COLUMNS + " from fileservice_files where user_guid = ? and file_guid in (" + marks + ")",
                parameters);
    }

    /** Newest first; the id breaks ties so pages never overlap or skip. */
    public Slice page(UUID userGuid, Optional<FileScope> scope, int pageNumber, int pageSize) {
        String where =
                " from fileservice_files where user_guid = ?" + (scope.isPresent() ? " and storage_scope = ?" : "");
        List<Object> parameters = new ArrayList<>();
        parameters.add(userGuid);
        scope.ifPresent(s -> parameters.add(s.name()));
        long total = count("select count(*)" + where, parameters);
        long offset = (long) (pageNumber - 1) * pageSize;
        if (offset >= total) {
            return new Slice(List.of(), total);
        }
        parameters.add(pageSize);
        parameters.add(offset);
        return new Slice(
                query(
                        "select " + COLUMNS + where + " order by created_at desc, file_guid limit ? offset ?",
                        parameters),
                total);
    }

    /** Removes the user's file's metadata; false if there was none. */
    public boolean delete(UUID userGuid, UUID fileGuid) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("delete from fileservice_files where user_guid = ? and file_guid = ?")) {
            s.setObject(1, userGuid);
            s.setObject(2, fileGuid);
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failure("delete metadata of " + fileGuid, e);
        }
    }

    /** Up to {@code limit} files whose expiry is at or before {@code now}, oldest expiry first. */
    public List<FileRecord> expired(Instant now, int limit) {
        return query(
                "select " + COLUMNS + " from fileservice_files where expires_at <= ? order by expires_at limit ?",
                List.of(utc(now), limit));
    }

    private List<FileRecord> query(String sql, List<?> parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                List<FileRecord> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(read(rs));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw failure("read file metadata", e);
        }
    }

    private long count(String sql, List<?> parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, parameters);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("count files", e);
        }
    }

    private static void bind(PreparedStatement s, List<?> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            s.setObject(i + 1, parameters.get(i));
        }
    }

    private static FileRecord read(ResultSet rs) throws SQLException {
        OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
        return new FileRecord(
                rs.getObject("file_guid", UUID.class),
                rs.getObject("user_guid", UUID.class),
                FileScope.valueOf(rs.getString("storage_scope")),
                rs.getString("content_type"),
                rs.getString("file_name"),
                rs.getLong("size_bytes"),
                rs.getString("path"),
                rs.getString("storage_provider"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                expires == null ? null : expires.toInstant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static FileStoreException duplicate(UUID fileGuid) {
        return new FileStoreException(
                FileStoreException.Reason.ALREADY_EXISTS, "A file with id " + fileGuid + " already exists");
    }

    /** A lost connection is worth retrying elsewhere (UNAVAILABLE); anything else is our fault. */
    private static FileStoreException failure(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean transientFailure = e instanceof SQLTransientException || state.startsWith("08");
        return new FileStoreException(
                transientFailure ? FileStoreException.Reason.UNAVAILABLE : FileStoreException.Reason.INTERNAL,
                "Could not " + what + ": database failed",
                e);
    }
}
