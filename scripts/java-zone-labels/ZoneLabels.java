// Prints, as JSON, every zone label that the management node's Date parser accepts through its
// zone-name table, and the zone it resolves to. The parser is the one of RestServer.java
// (zstackio/zstack rest/src/main/java/org/zstack/rest/RestServer.java):
//   new DateTimeFormatterBuilder().parseCaseInsensitive()
//       .appendPattern("EEE, dd MMM yyyy HH:mm:ss z").toFormatter(Locale.ENGLISH)
// Labels starting with '+', '-', "UT" or "GMT" never reach that table (java.time parses them as
// offsets), so they are left out; the simulator parses them itself.
// Run by scripts/java-zone-labels/generate; the output is pulumi_zstack/simulator/java_zone_labels.json.
import java.text.DateFormatSymbols;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

public class ZoneLabels {
    public static void main(String[] args) {
        DateTimeFormatter formatter = new DateTimeFormatterBuilder().parseCaseInsensitive()
                .appendPattern("EEE, dd MMM yyyy HH:mm:ss z").toFormatter(Locale.ENGLISH);
        // Candidates: every zone id and every English zone name; the parser's table is built from these.
        TreeSet<String> candidates = new TreeSet<>(ZoneId.getAvailableZoneIds());
        candidates.addAll(ZoneId.SHORT_IDS.keySet());
        for (String[] row : DateFormatSymbols.getInstance(Locale.ENGLISH).getZoneStrings()) {
            for (String name : row) {
                if (name != null) {
                    candidates.add(name);
                }
            }
        }
        TreeSet<String> regionIds = new TreeSet<>();
        Map<String, String> names = new TreeMap<>();
        for (String label : candidates) {
            String key = label.toUpperCase(Locale.ROOT);
            if (key.startsWith("+") || key.startsWith("-") || key.startsWith("UT") || key.startsWith("GMT")) {
                continue;
            }
            ZonedDateTime parsed;
            try {
                parsed = ZonedDateTime.parse("Wed, 01 Jul 2026 12:00:00 " + label, formatter);
            } catch (RuntimeException rejected) {
                continue;
            }
            String zone = parsed.getZone().getId();
            if (zone.toUpperCase(Locale.ROOT).equals(key)) {
                regionIds.add(zone);
            } else {
                names.put(key, zone);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("{\n  \"generatedBy\": \"scripts/java-zone-labels/generate with ")
                .append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append(", java.locale.providers=")
                .append(System.getProperty("java.locale.providers")).append("\",\n");
        out.append("  \"regionIds\": [");
        String sep = "\n    ";
        for (String id : regionIds) {
            out.append(sep).append('"').append(id).append('"');
            sep = ",\n    ";
        }
        out.append("\n  ],\n  \"names\": {");
        sep = "\n    ";
        for (Map.Entry<String, String> e : names.entrySet()) {
            out.append(sep).append('"').append(e.getKey()).append("\": \"").append(e.getValue()).append('"');
            sep = ",\n    ";
        }
        out.append("\n  }\n}");
        System.out.println(out);
    }
}
