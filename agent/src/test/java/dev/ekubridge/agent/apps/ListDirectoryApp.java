package dev.ekubridge.agent.apps;

import dev.ekubridge.testsupport.tls.Loopback;
import java.io.File;
import java.util.Arrays;

/**
 * Prints, as the first thing its {@code main} does, the files in the directory named by its
 * argument: {@code FILE=<name>} per file in name order, then {@code FILE_COUNT=<n>} and
 * {@code RESULT=OK}. It does no TLS at all.
 */
public final class ListDirectoryApp {
    private ListDirectoryApp() {
    }

    public static void main(String[] args) {
        Loopback.main("list-directory", () -> {
            String[] names = new File(args[0]).list();
            names = names == null ? new String[0] : names;
            Arrays.sort(names);
            for (String name : names) {
                System.out.println("FILE=" + name);
            }
            System.out.println("FILE_COUNT=" + names.length);
            System.out.println("RESULT=OK");
            return true;
        });
    }
}
