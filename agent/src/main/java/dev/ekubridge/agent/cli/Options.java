package dev.ekubridge.agent.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One command's arguments: flags ({@code --json}), options with a value ({@code --config FILE} or
 * {@code --config=FILE}), configuration pairs ({@code key=value}, as agent arguments) and positional
 * arguments ({@code HOST:PORT}, {@code PID}).
 *
 * <p>What the operator typed is echoed in an error only when it looks like an option name: any other
 * word may be the second half of a password that held a space ({@code server.password=A B}), so it is
 * named by its position instead.
 */
final class Options {
    /** The {@code --help} line of {@code --config FILE} for the commands whose options align at column 18. */
    static final String CONFIG_HELP = "  --config FILE   the properties file (the agent's config=FILE); key=value arguments win over it\n";
    /** The {@code --help} line of {@code --json}, aligned as {@link #CONFIG_HELP}. */
    static final String JSON_HELP = "  --json          one JSON document on standard output\n";

    /** The {@code --help} lines of a command whose only option is {@code --json}. */
    static final String ONLY_JSON_HELP = "  --json   one JSON document on standard output\n";

    /** A usage error: the message (without the command's name) for standard error; exit status 64. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** What a command accepts. */
    static final class Spec {
        private final Set<String> flags = new TreeSet<String>();
        /** Option name to the name of its value in messages ({@code --config} to {@code FILE}). */
        private final Map<String, String> valued = new LinkedHashMap<String, String>();
        private boolean pairs;
        private final List<String> positionals = new ArrayList<String>();
        private int requiredPositionals;

        Spec flag(String name) {
            flags.add(name);
            return this;
        }

        Spec option(String name, String valueName) {
            valued.put(name, valueName);
            return this;
        }

        /** {@code --config FILE} and {@code key=value} pairs: the configuration, read as the agent reads its arguments. */
        Spec configuration() {
            pairs = true;
            return option("--config", "FILE");
        }

        /** A positional argument; required ones come first. */
        Spec positional(String name, boolean required) {
            positionals.add(name);
            if (required) {
                requiredPositionals++;
            }
            return this;
        }
    }

    private final Set<String> flags = new TreeSet<String>();
    private final Map<String, String> values = new LinkedHashMap<String, String>();
    private final List<String> pairs = new ArrayList<String>();
    private final List<String> positionals = new ArrayList<String>();

    private Options() {
    }

    /** Whether {@code --help} (or {@code -h}) is among the arguments: then nothing else is checked. */
    static boolean wantsHelp(String[] args) {
        for (String arg : args) {
            if ("--help".equals(arg) || "-h".equals(arg)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code --json} is among the arguments (for errors reported before or outside parsing). */
    static boolean wantsJson(String[] args) {
        for (String arg : args) {
            if ("--json".equals(arg)) {
                return true;
            }
        }
        return false;
    }

    static Options parse(String[] args, Spec spec) throws UsageException {
        Options options = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("-") && !arg.equals("-")) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                if (spec.flags.contains(name)) {
                    if (!name.equals(arg)) {
                        throw new UsageException(name + " takes no value");
                    }
                    options.flags.add(name);
                    continue;
                }
                String valueName = spec.valued.get(name);
                if (valueName == null) {
                    throw new UsageException(name.matches("--?[A-Za-z][A-Za-z0-9-]{0,30}")
                        ? "unknown option " + name : "argument " + (i + 1) + " is not an option of this command");
                }
                String value;
                if (!name.equals(arg)) {
                    value = arg.substring(name.length() + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UsageException(name + " needs a " + valueName);
                }
                if (value.trim().isEmpty()) {
                    throw new UsageException(name + " needs a " + valueName);
                }
                if (options.values.put(name, value) != null) {
                    throw new UsageException(name + " is given twice");
                }
                continue;
            }
            if (spec.pairs && arg.indexOf('=') > 0) {
                options.pairs.add(arg);
                continue;
            }
            if (options.positionals.size() < spec.positionals.size()) {
                options.positionals.add(arg);
                continue;
            }
            // Not echoed: it may be the second word of a password that held a space (server.password=A B).
            throw new UsageException("argument " + (i + 1) + " is "
                + (spec.pairs ? "neither --config FILE nor key=value" : "one too many")
                + (i > 0 && spec.pairs ? " (a value with spaces must be quoted; give a password with .password.env or .password.file)" : ""));
        }
        if (options.positionals.size() < spec.requiredPositionals) {
            throw new UsageException("give " + spec.positionals.get(options.positionals.size()));
        }
        return options;
    }

    /** An integer option in {@code [min, max]}, or a usage error naming the option (never echoing the value). */
    static int integer(String value, String option, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException(option + " must be a whole number from " + min + " to " + max);
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    /** The value of an option, or {@code null}. */
    String value(String option) {
        return values.get(option);
    }

    /** The positional argument at {@code index}, or {@code null}. */
    String positional(int index) {
        return index < positionals.size() ? positionals.get(index) : null;
    }

    List<String> pairs() {
        return Collections.unmodifiableList(pairs);
    }

    /** Whether a configuration was given at all ({@code --config FILE} or pairs). */
    boolean hasConfiguration() {
        return values.containsKey("--config") || !pairs.isEmpty();
    }

    /** For a command that cannot do without a configuration: a usage error when none is given. */
    void requireConfiguration() throws UsageException {
        if (!hasConfiguration()) {
            throw new UsageException("give --config FILE or key=value pairs");
        }
    }

    /**
     * The configuration as agent-argument text: {@code config=FILE} first, then the pairs, which win over the
     * file as agent arguments do.
     */
    String configuration() throws UsageException {
        StringBuilder text = new StringBuilder();
        String file = values.get("--config");
        if (file != null) {
            if (file.contains(",")) {
                throw new UsageException("--config needs a FILE name (without commas)");
            }
            text.append("config=").append(file);
        }
        for (String pair : pairs) {
            text.append(text.length() == 0 ? "" : ",").append(pair);
        }
        return text.toString();
    }
}
