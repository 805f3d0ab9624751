package org.aipipeline.runner.apscheme;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** Seeded random schemes and values that conform to them, for property-style tests. */
final class RandomElements {

    private static final String[] CASES = {"A", "B", "GoogleGemini", "ünï", ""};
    private static final String[] MIME = {"image/png", "image/jpeg", "text/plain", "application/pdf"};

    private final Random random;

    RandomElements(long seed) {
        this.random = new Random(seed);
    }

    /** A random scheme: templates at the leaves, one-item lists, objects with optional parts. */
    ApElement scheme(int depth) {
        int kind = random.nextInt(depth <= 1 ? 7 : 9);
        switch (kind) {
            case 0:
                return ApBool.template();
            case 1:
                return ApString.template();
            case 2:
                return random.nextBoolean() ? ApInt.template() : ApInt.withoutDefault();
            case 3:
                return random.nextBoolean() ? ApDecimal.template() : ApDecimal.withoutDefault();
            case 4:
                return new ApDateTime(dateTime());
            case 5:
                return ApEnum.template(names(CASES, 1 + random.nextInt(3)));
            case 6:
                return ApFile.template(names(MIME, random.nextInt(3)));
            case 7:
                return ApList.template(scheme(depth - 1));
            default:
                Map<String, ApElement> properties = new LinkedHashMap<>();
                List<String> optional = new ArrayList<>();
                int count = random.nextInt(5);
                for (int i = 0; i < count; i++) {
                    String name = "p" + i + (random.nextBoolean() ? "_x" : "");
                    properties.put(name, scheme(depth - 1));
                    if (random.nextInt(3) == 0) {
                        optional.add(random.nextBoolean() ? name : name.toUpperCase());
                    }
                }
                return new ApObject(properties, optional);
        }
    }

    /** A random value that fits {@code scheme}. */
    ApElement valueOf(ApElement scheme) {
        if (scheme instanceof ApBool) {
            return new ApBool(random.nextBoolean());
        } else if (scheme instanceof ApString) {
            return new ApString(text());
        } else if (scheme instanceof ApInt) {
            return new ApInt(new BigInteger(random.nextInt(100), random).subtract(BigInteger.TEN));
        } else if (scheme instanceof ApDecimal) {
            // an ApInt fits an ApDecimal too
            return random.nextInt(4) == 0 ? ApInt.of(random.nextInt()) : new ApDecimal(decimal());
        } else if (scheme instanceof ApDateTime) {
            return new ApDateTime(dateTime());
        } else if (scheme instanceof ApEnum enumeration) {
            List<String> cases = enumeration.supportedCases();
            return ApEnum.of(cases.isEmpty() ? text() : cases.get(random.nextInt(cases.size())));
        } else if (scheme instanceof ApFile file) {
            List<String> types = file.supportedContentTypes();
            String type = types.isEmpty() ? MIME[random.nextInt(MIME.length)] : types.get(random.nextInt(types.size()));
            return ApFile.of(
                    new UUID(random.nextLong(), random.nextLong()), random.nextBoolean() ? type : type.toUpperCase());
        } else if (scheme instanceof ApList list) {
            List<ApElement> items = new ArrayList<>();
            int count = random.nextInt(4);
            for (int i = 0; i < count; i++) {
                items.add(valueOf(list.itemTemplate()));
            }
            return new ApList(items);
        } else {
            ApObject object = (ApObject) scheme;
            Map<String, ApElement> properties = new LinkedHashMap<>();
            object.properties().forEach((name, property) -> {
                if (object.isRequired(name) || random.nextBoolean()) {
                    // names match ignoring case
                    properties.put(random.nextInt(4) == 0 ? name.toUpperCase() : name, valueOf(property));
                }
            });
            if (random.nextInt(3) == 0) {
                properties.put("extra" + random.nextInt(10), new ApString("ignored"));
            }
            return ApObject.of(properties);
        }
    }

    private List<String> names(String[] from, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = from[random.nextInt(from.length)];
            if (!name.isEmpty() && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private String text() {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(10);
            if (pick == 0) {
                text.append("\"\\\n\t/\u0000".charAt(random.nextInt(6)));
            } else if (pick == 1) {
                text.appendCodePoint(0x1F600 + random.nextInt(50)); // outside the BMP
            } else if (pick == 2) {
                text.append((char) (0xA0 + random.nextInt(0x500)));
            } else {
                text.append((char) ('a' + random.nextInt(26)));
            }
        }
        return text.toString();
    }

    private BigDecimal decimal() {
        BigInteger unscaled = new BigInteger(1 + random.nextInt(120), random);
        if (random.nextBoolean()) {
            unscaled = unscaled.negate();
        }
        return new BigDecimal(unscaled, random.nextInt(40) - 10);
    }

    private OffsetDateTime dateTime() {
        Instant instant =
                Instant.ofEpochSecond(random.nextInt(), random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
        // quarter-hour offsets within the +-18:00 range, so that offsets are kept, not normalised
        return instant.atOffset(ZoneOffset.ofTotalSeconds((random.nextInt(145) - 72) * 15 * 60));
    }
}
