package org.aipipeline.runner.apscheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Property-style checks over seeded random schemes and values; a failure names its seed. */
class RandomElementsTest {

    private static final int TREES_PER_SEED = 200;
    private final ApElementJson json = new ApElementJson();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 2024, 987654321})
    void printThenParseIsTheIdentity(long seed) {
        RandomElements random = new RandomElements(seed);
        for (int i = 0; i < TREES_PER_SEED; i++) {
            ApElement scheme = random.scheme(6);
            ApElement value = random.valueOf(scheme);
            for (ApElement element : List.of(scheme, value)) {
                String printed = json.print(element);
                ApElement parsed = json.parse(printed);
                assertEquals(element, parsed, () -> "seed " + seed + ": " + printed);
                assertEquals(printed, json.print(parsed), "printing is deterministic and keeps order");
                assertEquals(element, json.parse(json.toJsonObject(element), "input"));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 2024, 987654321})
    void everyValueFitsTheSchemeItWasMadeFromAndEverySchemeFitsItself(long seed) {
        RandomElements random = new RandomElements(seed);
        for (int i = 0; i < TREES_PER_SEED; i++) {
            ApElement scheme = random.scheme(6);
            ApElement value = random.valueOf(scheme);
            Fit valueFit = SchemeCompatibility.fits(value, scheme);
            assertTrue(valueFit.ok(), () -> "seed " + seed + ": " + valueFit + " for " + json.print(value));
            Fit schemeFit = SchemeCompatibility.fits(scheme, scheme);
            assertTrue(schemeFit.ok(), () -> "seed " + seed + ": " + schemeFit);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 8, 9})
    void aValueWithOneLeafChangedToAnotherTypeDoesNotFit(long seed) {
        RandomElements random = new RandomElements(seed);
        int checked = 0;
        for (int i = 0; i < TREES_PER_SEED; i++) {
            ApElement scheme = random.scheme(5);
            ApElement value = random.valueOf(scheme);
            List<String> path = new ArrayList<>();
            ApElement broken = breakFirstLeaf(value, path);
            if (broken == null) {
                continue;
            }
            checked++;
            Fit fit = SchemeCompatibility.fits(broken, scheme);
            assertEquals(String.join(".", path), fit.first().path(), () -> "seed " + seed);
            assertTrue(fit.first().reason().endsWith("got ApBool"), fit::toString);
        }
        assertTrue(checked > 20, "enough trees had a leaf to break: " + checked);
    }

    /** Replaces the first non-bool leaf (depth first) with an ApBool; null when there is none. */
    private static ApElement breakFirstLeaf(ApElement element, List<String> path) {
        if (element instanceof ApList list) {
            for (int i = 0; i < list.items().size(); i++) {
                path.add("items[" + i + "]");
                ApElement item = breakFirstLeaf(list.items().get(i), path);
                if (item != null) {
                    List<ApElement> items = new ArrayList<>(list.items());
                    items.set(i, item);
                    return new ApList(items);
                }
                path.remove(path.size() - 1);
            }
            return null;
        }
        if (element instanceof ApObject object) {
            for (var property : object.properties().entrySet()) {
                if (property.getKey().startsWith("extra")) {
                    continue;
                }
                // mismatches name the scheme's spelling, which the generator keeps in lower case
                path.add("properties." + property.getKey().toLowerCase());
                ApElement changed = breakFirstLeaf(property.getValue(), path);
                if (changed != null) {
                    Map<String, ApElement> properties = new LinkedHashMap<>(object.properties());
                    properties.put(property.getKey(), changed);
                    return new ApObject(properties, object.nonRequiredProperties());
                }
                path.remove(path.size() - 1);
            }
            return null;
        }
        return element instanceof ApBool ? null : new ApBool(true);
    }
}
