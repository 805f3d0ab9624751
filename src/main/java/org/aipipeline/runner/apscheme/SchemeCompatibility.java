package org.aipipeline.runner.apscheme;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a value or scheme A fits an input scheme B: a pipeline input against the first
 * procedure's input, and each step's (selected) output scheme against the next step's input.
 *
 * <ul>
 *   <li>Types are equal, except that an ApInt fits an ApDecimal.
 *   <li>ApEnum: a non-empty value of A must be one of B's non-empty supportedCases; an empty value
 *       is a scheme, and a scheme promises nothing about which case will come.
 *   <li>ApFile: a non-empty (concrete) contentType of A must be one of B's non-empty
 *       supportedContentTypes; MIME types compare ignoring case.
 *   <li>ApList: every item of A fits B's first item (the template); an empty A fits, and a B
 *       without template accepts any items.
 *   <li>ApObject: every property of B not in its nonRequiredProperties exists in A (name ignoring
 *       case) and fits; optional properties A does have must fit too; A's extras are ignored.
 * </ul>
 *
 * Checking goes on after a mismatch so that a user sees every problem at once, up to {@link
 * #MAX_MISMATCHES}: a list of a million wrong items needs no million-line report.
 */
public final class SchemeCompatibility {

    public static final int MAX_MISMATCHES = 100;

    private final List<Mismatch> mismatches = new ArrayList<>(0);

    private SchemeCompatibility() {}

    public static Fit fits(ApElement valueOrScheme, ApElement inputScheme) {
        SchemeCompatibility check = new SchemeCompatibility();
        check.check(valueOrScheme, inputScheme, ElementPath.root(""));
        return check.mismatches.isEmpty() ? Fit.OK : new Fit(check.mismatches);
    }

    private void check(ApElement a, ApElement b, ElementPath path) {
        if (mismatches.size() >= MAX_MISMATCHES) {
            return;
        }
        if (!a.typeName().equals(b.typeName())) {
            if (!(a instanceof ApInt && b instanceof ApDecimal)) {
                report(path, "expected " + b.typeName() + ", got " + a.typeName());
            }
            return;
        }
        if (a instanceof ApEnum value && b instanceof ApEnum scheme) {
            checkEnum(value, scheme, path);
        } else if (a instanceof ApFile value && b instanceof ApFile scheme) {
            checkFile(value, scheme, path);
        } else if (a instanceof ApList value && b instanceof ApList scheme) {
            checkList(value, scheme, path);
        } else if (a instanceof ApObject value && b instanceof ApObject scheme) {
            checkObject(value, scheme, path);
        }
    }

    private void checkEnum(ApEnum a, ApEnum b, ElementPath path) {
        if (!a.value().isEmpty()
                && !b.supportedCases().isEmpty()
                && !b.supportedCases().contains(a.value())) {
            report(path, "'" + a.value() + "' is not one of the supported cases " + b.supportedCases());
        }
    }

    private void checkFile(ApFile a, ApFile b, ElementPath path) {
        if (a.contentType().isEmpty() || b.supportedContentTypes().isEmpty()) {
            return;
        }
        for (String supported : b.supportedContentTypes()) {
            if (supported.equalsIgnoreCase(a.contentType())) {
                return;
            }
        }
        report(
                path,
                "content type '"
                        + a.contentType()
                        + "' is not one of the supported content types "
                        + b.supportedContentTypes());
    }

    private void checkList(ApList a, ApList b, ElementPath path) {
        ApElement template = b.itemTemplate();
        if (template == null) {
            return;
        }
        List<ApElement> items = a.items();
        for (int i = 0; i < items.size() && mismatches.size() < MAX_MISMATCHES; i++) {
            check(items.get(i), template, path.item(i));
        }
    }

    private void checkObject(ApObject a, ApObject b, ElementPath path) {
        for (Map.Entry<String, ApElement> expected : b.properties().entrySet()) {
            String name = expected.getKey();
            ApElement actual = a.property(name);
            if (actual != null) {
                check(actual, expected.getValue(), path.property(name));
            } else if (b.isRequired(name)) {
                report(path.property(name), "required property is missing");
            }
        }
    }

    private void report(ElementPath path, String reason) {
        if (mismatches.size() < MAX_MISMATCHES) {
            mismatches.add(new Mismatch(path.toString(), reason));
        }
    }
}
