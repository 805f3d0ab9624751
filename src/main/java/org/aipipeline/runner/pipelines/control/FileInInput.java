package org.aipipeline.runner.pipelines.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.apscheme.ApFile;
import org.aipipeline.runner.apscheme.ApList;
import org.aipipeline.runner.apscheme.ApObject;
import org.aipipeline.runner.files.entity.StoredFile;
import org.aipipeline.runner.pipelines.entity.FileReference;

/**
 * An ApFile found in a pipeline input, with its path ({@code input.properties.image}) and the
 * ApFile of the procedure's input scheme at the same place (null when the scheme has none there).
 */
record FileInInput(String path, ApFile file, ApFile scheme) {

    /** Walks the input (and the scheme alongside it, when given) and returns every ApFile. */
    static List<FileInInput> collect(ApElement input, ApElement scheme, String rootPath) {
        List<FileInInput> found = new ArrayList<>(0);
        walk(input, scheme, rootPath, found);
        return found;
    }

    /** The ids of the files the input names (the nil id names a scheme, not a file). */
    static Set<UUID> ids(ApElement input) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (FileInInput file : collect(input, null, "")) {
            if (!ApFile.NIL_ID.equals(file.file().id())) {
                ids.add(file.file().id());
            }
        }
        return ids;
    }

    /** Of the files found, by id, those the user may hand to a node: theirs, or nobody's (shared). */
    static Map<UUID, StoredFile> usableBy(UUID userId, List<StoredFile> found) {
        Map<UUID, StoredFile> usable = new HashMap<>();
        for (StoredFile file : found) {
            if (userId.equals(file.userId()) || file.userId() == null) {
                usable.put(file.id(), file);
            }
        }
        return usable;
    }

    /** The RunPipelineStep's fileReferences for an input: one per stored file it names, in input order. */
    static List<FileReference> references(ApElement input, Map<UUID, StoredFile> stored) {
        if (stored.isEmpty()) {
            return List.of();
        }
        Map<UUID, FileReference> references = new LinkedHashMap<>();
        for (FileInInput file : collect(input, null, "")) {
            StoredFile found = stored.get(file.file().id());
            if (found != null) {
                references.putIfAbsent(
                        found.id(),
                        new FileReference(
                                found.id().toString(), found.storageProvider(), found.path(), found.contentType()));
            }
        }
        return List.copyOf(references.values());
    }

    private static void walk(ApElement value, ApElement scheme, String path, List<FileInInput> found) {
        if (value instanceof ApFile file) {
            found.add(new FileInInput(path, file, scheme instanceof ApFile schemeFile ? schemeFile : null));
        } else if (value instanceof ApObject object) {
            ApObject schemeObject = scheme instanceof ApObject o ? o : null;
            object.properties()
                    .forEach((name, property) -> walk(
                            property,
                            schemeObject == null ? null : schemeObject.property(name),
                            join(path, "properties." + name),
                            found));
        } else if (value instanceof ApList list) {
            ApElement template = scheme instanceof ApList l && !l.items().isEmpty()
                    ? l.items().get(0)
                    : null;
            for (int i = 0; i < list.items().size(); i++) {
                walk(list.items().get(i), template, join(path, "items[" + i + "]"), found);
            }
        }
    }

    private static String join(String path, String part) {
        return path.isEmpty() ? part : path + "." + part;
    }
}
