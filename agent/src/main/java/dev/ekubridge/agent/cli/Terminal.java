package dev.ekubridge.agent.cli;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Whether standard error is a terminal, so that a progress line may be rewritten in place with {@code \r}. */
final class Terminal {
    private Terminal() {
    }

    static boolean isStandardError() {
        // Linux: what file descriptor 2 is, exactly
        Path fd = Paths.get("/proc/self/fd/2");
        if (new File("/proc/self/fd").isDirectory()) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (Exception e) {
                return false;
            }
        }
        // elsewhere: a console means standard input and output are a terminal; standard error usually is too
        Object console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = console.getClass().getMethod("isTerminal"); // Java 22 and later
            return Boolean.TRUE.equals(isTerminal.invoke(console));
        } catch (Exception e) {
            return true;
        }
    }
}
