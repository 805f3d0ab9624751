package org.aipipeline.runner.pipelines.control;

import java.util.ArrayList;
import java.util.List;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.apscheme.ApFile;
import org.aipipeline.runner.apscheme.ApList;
import org.aipipeline.runner.apscheme.ApObject;

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

    private static void walk(ApElement value, ApElement scheme, String path, List<FileInInput> found) {
        if (value instanceof ApFile file) {
            found.add(new FileInInput(path, file, scheme instanceof ApFile schemeFile ? schemeFile : null));
        } else if (value instanceof ApObject object) {
            ApObject schemeObject = scheme instanceof ApObject o ? o : null;
            object.properties().forEach((name, property) -> walk(property,
                    schemeObject == null ? null : schemeObject.property(name), join(path, "properties." + name), found));
        } else if (value instanceof ApList list) {
            ApElement template = scheme instanceof ApList l && !l.items().isEmpty() ? l.items().get(0) : null;
            for (int i = 0; i < list.items().size(); i++) {
                walk(list.items().get(i), template, join(path, "items[" + i + "]"), found);
            }
        }
    }

    private static String join(String path, String part) {
        return path.isEmpty() ? part : path + "." + part;
    }
}
