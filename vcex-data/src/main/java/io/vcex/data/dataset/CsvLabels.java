package io.vcex.data.dataset;

import io.vcex.core.VcexException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code labels.csv}: comma-separated values as in RFC 4180 (a field in double quotes may
 * hold commas, line breaks and doubled quotes {@code ""}), UTF-8, an optional byte-order mark.
 *
 * <p>The first row is the header. The image path is in the column named {@code file}, else
 * {@code image}, else {@code filename} (ignoring case); a column {@code captions} holds captions
 * separated by {@code |}; every other column is a label. Values are kept as written (spaces
 * included, as RFC 4180 says); blank lines are skipped.
 */
final class CsvLabels {
    /** Names of the image column, in order of preference. */
    static final List<String> FILE_COLUMNS = List.of("file", "image", "filename");
    /** The name of the captions column. */
    static final String CAPTIONS = "captions";

    private CsvLabels() {
    }

    /**
     * @param source the labels file, for messages
     * @param text its content
     * @return its rows
     */
    static List<LabelRow> parse(Path source, String text) {
        List<Record> records = new Reader(source, text).readAll();
        if (records.isEmpty()) {
            throw new VcexException(source + " is empty: it needs a header row with a column named 'file'");
        }
        Record header = records.get(0);
        List<String> names = header.fields.stream().map(String::strip).toList();
        int fileColumn = fileColumn(source, header.line, names);
        int captionsColumn = -1;
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < names.size(); c++) {
            String name = names.get(c);
            if (name.isEmpty()) {
                throw new VcexException(source + " line " + header.line + ": column " + (c + 1)
                        + " of the header has no name");
            }
            if (!seen.add(name)) {
                throw new VcexException(source + " line " + header.line + ": the header names column '"
                        + name + "' twice");
            }
            if (c != fileColumn && name.equalsIgnoreCase(CAPTIONS)) {
                captionsColumn = c;
            }
        }
        List<LabelRow> rows = new ArrayList<>(records.size() - 1);
        for (Record r : records.subList(1, records.size())) {
            if (r.fields.size() != names.size()) {
                throw new VcexException(source + " line " + r.line + ": " + r.fields.size()
                        + (r.fields.size() == 1 ? " value" : " values") + " but the header (line " + header.line
                        + ") has " + names.size() + " columns: " + String.join(", ", names)
                        + "; a value that holds a comma must be in double quotes");
            }
            Map<String, String> labels = new LinkedHashMap<>();
            List<String> captions = List.of();
            for (int c = 0; c < names.size(); c++) {
                if (c == captionsColumn) {
                    captions = splitCaptions(r.fields.get(c));
                } else if (c != fileColumn) {
                    labels.put(names.get(c), r.fields.get(c));
                }
            }
            rows.add(new LabelRow(r.line, r.fields.get(fileColumn), labels, captions));
        }
        return rows;
    }

    private static int fileColumn(Path source, int line, List<String> names) {
        for (String wanted : FILE_COLUMNS) {
            for (int c = 0; c < names.size(); c++) {
                if (names.get(c).equalsIgnoreCase(wanted)) {
                    return c;
                }
            }
        }
        throw new VcexException(source + " line " + line + ": the header has no column named "
                + String.join(", ", FILE_COLUMNS.subList(0, FILE_COLUMNS.size() - 1)) + " or "
                + FILE_COLUMNS.get(FILE_COLUMNS.size() - 1) + " for the image paths; its columns are "
                + String.join(", ", names));
    }

    /**
     * @param value a captions cell
     * @return its captions split on {@code |}, stripped, empty ones dropped
     */
    static List<String> splitCaptions(String value) {
        return Arrays.stream(value.split("\\|")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** One CSV record and the line it starts on. */
    private record Record(int line, List<String> fields) {
    }

    /** An RFC 4180 tokenizer that counts lines, so every error can name one. */
    private static final class Reader {
        private final Path source;
        private final String text;
        private int pos;
        private int line = 1;

        Reader(Path source, String text) {
            this.source = source;
            this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        }

        List<Record> readAll() {
            List<Record> records = new ArrayList<>();
            while (pos < text.length()) {
                int start = line;
                List<String> fields = new ArrayList<>();
                boolean quoted = false;
                boolean more = true;
                while (more) {
                    quoted |= peek() == '"';
                    fields.add(peek() == '"' ? quotedField() : plainField());
                    more = pos < text.length() && text.charAt(pos) == ',';
                    if (more) {
                        pos++;
                    }
                }
                endOfLine();
                boolean blank = fields.size() == 1 && fields.get(0).isBlank() && !quoted;
                if (!blank) {
                    records.add(new Record(start, fields));
                }
            }
            return records;
        }

        private int peek() {
            return pos < text.length() ? text.charAt(pos) : -1;
        }

        private String plainField() {
            int from = pos;
            while (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != '\n'
                    && text.charAt(pos) != '\r') {
                pos++;
            }
            return text.substring(from, pos);
        }

        private String quotedField() {
            int startLine = line;
            StringBuilder sb = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= text.length()) {
                    throw new VcexException(source + " line " + startLine
                            + ": a quoted value is never closed (a double quote is missing)");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    if (peek() == '"') {
                        sb.append('"');
                        pos++;
                    } else {
                        break;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    sb.append(c);
                }
            }
            int next = peek();
            if (next != ',' && next != '\n' && next != '\r' && next != -1) {
                throw new VcexException(source + " line " + line + ": unexpected '" + (char) next
                        + "' after a closing double quote; inside a quoted value write a double quote as \"\"");
            }
            return sb.toString();
        }

        private void endOfLine() {
            if (peek() == '\r') {
                pos++;
            }
            if (peek() == '\n') {
                pos++;
            }
            line++;
        }
    }
}
