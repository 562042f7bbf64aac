package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a whole file, turning every I/O failure into one UNREADABLE_FILE message that names it. */
final class FileBytes {
    /** Larger than any key store, PEM bundle or password file an operator would give us. */
    private static final long MAX_SIZE = 16L * 1024 * 1024;

    private FileBytes() {
    }

    static byte[] read(String label, Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": " + file + " is a directory, not a file");
            }
            if (Files.size(file) > MAX_SIZE) {
                throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": " + file + " is larger than 16 MiB");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": no such file " + file, e);
        } catch (AccessDeniedException e) {
            throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": permission denied reading " + file, e);
        } catch (IOException e) {
            throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": cannot read " + file + ": " + e, e);
        }
    }
}
