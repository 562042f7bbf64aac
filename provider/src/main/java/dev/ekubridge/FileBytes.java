package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Reads a whole file, turning every failure into one UNREADABLE_FILE message that names it. Only
 * regular files are read (symbolic links are followed): a FIFO would block forever and a device such
 * as {@code /dev/zero} never ends, so both are refused before they are opened. At most the cap plus
 * one byte is ever read, whatever the file claims its size to be.
 */
final class FileBytes {
    /** Larger than any key store, PEM bundle or trust store an operator would give us. */
    static final int MAX_SIZE = 16 * 1024 * 1024;
    /** Larger than any configuration or password file. */
    static final int MAX_TEXT_SIZE = 1024 * 1024;

    private FileBytes() {
    }

    /** A key store, PEM file or trust store: at most {@link #MAX_SIZE} bytes. */
    static byte[] read(String label, Path file) {
        return read(label, file, MAX_SIZE);
    }

    /** A regular file of at most {@code maxSize} bytes. */
    static byte[] read(String label, Path file, int maxSize) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": no such file " + file, e);
        } catch (AccessDeniedException e) {
            throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": permission denied reading " + file, e);
        } catch (FileSystemLoopException e) {
            throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": " + file + " is a loop of symbolic links", e);
        } catch (IOException | RuntimeException e) {
            throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": cannot read " + file + ": " + e, e);
        }
        if (attributes.isDirectory()) {
            throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": " + file + " is a directory, not a file");
        }
        if (!attributes.isRegularFile()) {
            throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": " + file + " is not a regular file"
                + " (a FIFO, socket or device such as /dev/zero); give a regular file");
        }
        if (attributes.size() > maxSize) {
            throw tooLarge(label, file, maxSize);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[(int) Math.min(attributes.size() + 1, (long) maxSize + 1)];
            int length = 0;
            while (true) {
                if (length == buffer.length) {
                    if (length > maxSize) {
                        throw tooLarge(label, file, maxSize);
                    }
                    // the file grew since its size was read: grow, but never beyond the cap plus one byte
                    buffer = Arrays.copyOf(buffer, (int) Math.min((long) maxSize + 1, Math.max(8192L, 2L * length)));
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
            }
            if (length > maxSize) {
                throw tooLarge(label, file, maxSize);
            }
            if (length == buffer.length) {
                return buffer;
            }
            byte[] content = Arrays.copyOf(buffer, length);
            Arrays.fill(buffer, (byte) 0); // it may hold a password or a private key
            return content;
        } catch (AccessDeniedException e) {
            throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": permission denied reading " + file, e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof EkuBridgeException) {
                throw (EkuBridgeException) e;
            }
            throw new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": cannot read " + file + ": " + e, e);
        }
    }

    private static EkuBridgeException tooLarge(String label, Path file, int maxSize) {
        return new EkuBridgeException(Reason.UNREADABLE_FILE, label + ": " + file + " is larger than " + size(maxSize));
    }

    private static String size(int bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }
}
