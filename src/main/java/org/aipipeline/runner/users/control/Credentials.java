package org.aipipeline.runner.users.control;

/** The rules for usernames and passwords, shared by registration and account changes. */
public final class Credentials {

    public static final String USERNAME_PATTERN = "[A-Za-z0-9._-]{3,64}";
    public static final String USERNAME_RULE = "must be 3 to 64 characters: letters, digits, '.', '_' or '-'";
    public static final int PASSWORD_MIN = 8;
    /** Bounded so that hashing cannot be used to burn CPU with megabyte-long passwords. */
    public static final int PASSWORD_MAX = 256;

    public static final String PASSWORD_RULE = "must be 8 to 256 characters";

    private Credentials() {}
}
