package org.aipipeline.runner.pipelines.control;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.files.entity.StoredFile;

/** The caller's files among the ids asked for; absent or foreign ones are simply not returned. */
@FunctionalInterface
public interface OwnedFiles {
    List<StoredFile> find(UUID userId, Collection<UUID> fileIds);
}
