package org.aipipeline.runner.users.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.aipipeline.runner.auth.boundary.RegisterRequest;
import org.aipipeline.runner.users.boundary.UpdateUserRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The username and password rules as the requests that use them enforce them, through a real
 * Bean Validation provider (the one Payara runs), so a rule not wired to a field fails here.
 */
class CredentialsTest {

    private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    private static final String GOOD_PASSWORD = "s3cret-enough";
    private static final String GOOD_USERNAME = "alice";
    private static final String USERNAME_RULE =
            "username: must be 3 to 64 characters: letters, digits, '.', '_' or '-'";
    private static final String PASSWORD_RULE = "password: must be 8 to 256 characters";

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    @Test
    void rulesReadAsTheSpecStatesThem() {
        assertEquals("must be 3 to 64 characters: letters, digits, '.', '_' or '-'", Credentials.USERNAME_RULE);
        assertEquals("must be 8 to 256 characters", Credentials.PASSWORD_RULE);
        assertEquals(8, Credentials.PASSWORD_MIN);
        assertEquals(256, Credentials.PASSWORD_MAX);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "abc",
                "ABC",
                "123",
                "a.b",
                "a_b",
                "a-b",
                "...",
                "Alice.Smith_1-2",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", // 64
            })
    void registrationAcceptsUsernamesOfThreeToSixtyFourAllowedCharacters(String username) {
        assertEquals(Set.of(), violations(new RegisterRequest(null, username, GOOD_PASSWORD)));
        assertEquals(Set.of(), violations(new UpdateUserRequest(username, null)));
    }

    static Stream<Arguments> invalidUsernames() {
        return Stream.of(
                Arguments.of("ab", Set.of(USERNAME_RULE)),
                Arguments.of("a".repeat(65), Set.of(USERNAME_RULE)),
                Arguments.of("alice smith", Set.of(USERNAME_RULE)),
                Arguments.of("alice@example.org", Set.of(USERNAME_RULE)),
                Arguments.of("al/ice", Set.of(USERNAME_RULE)),
                Arguments.of("ålice", Set.of(USERNAME_RULE)),
                Arguments.of("名前abc", Set.of(USERNAME_RULE)),
                Arguments.of("alice\n", Set.of(USERNAME_RULE)),
                Arguments.of(" alice", Set.of(USERNAME_RULE)),
                Arguments.of("   ", Set.of("username: is required", USERNAME_RULE)),
                Arguments.of("", Set.of("username: is required", USERNAME_RULE)),
                Arguments.of(null, Set.of("username: is required")));
    }

    @ParameterizedTest
    @MethodSource("invalidUsernames")
    void registrationRejectsOtherUsernamesNamingTheField(String username, Set<String> expected) {
        assertEquals(expected, violations(new RegisterRequest(null, username, GOOD_PASSWORD)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ab",
                "alice smith",
                "alice@example.org",
                "",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            })
    void anAccountChangeRejectsTheSameUsernamesWithTheSameMessage(String username) {
        assertEquals(Set.of(USERNAME_RULE), violations(new UpdateUserRequest(username, null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345678", "with spaces", "pässwörd", "        x"})
    void passwordsOfAtLeastEightCharactersAreAccepted(String password) {
        assertEquals(Set.of(), violations(new RegisterRequest(null, GOOD_USERNAME, password)));
        assertEquals(Set.of(), violations(new UpdateUserRequest(null, password)));
    }

    @Test
    void passwordsOfUpToTwoHundredFiftySixCharactersAreAccepted() {
        assertEquals(Set.of(), violations(new RegisterRequest(null, GOOD_USERNAME, "x".repeat(256))));
        assertEquals(Set.of(), violations(new UpdateUserRequest(null, "x".repeat(256))));
    }

    static Stream<Arguments> invalidPasswords() {
        return Stream.of(
                Arguments.of("1234567", Set.of(PASSWORD_RULE)),
                Arguments.of("x", Set.of(PASSWORD_RULE)),
                Arguments.of("x".repeat(257), Set.of(PASSWORD_RULE)),
                Arguments.of("        ", Set.of("password: is required")),
                Arguments.of("", Set.of("password: is required", PASSWORD_RULE)),
                Arguments.of(null, Set.of("password: is required")));
    }

    @ParameterizedTest
    @MethodSource("invalidPasswords")
    void registrationRejectsShortLongOrMissingPasswordsNamingTheField(String password, Set<String> expected) {
        assertEquals(expected, violations(new RegisterRequest(null, GOOD_USERNAME, password)));
    }

    static Stream<String> passwordsOutsideTheLengthRule() {
        return Stream.of("1234567", "", "x".repeat(257));
    }

    @ParameterizedTest
    @MethodSource("passwordsOutsideTheLengthRule")
    void anAccountChangeRejectsPasswordsOutsideTheLengthRule(String password) {
        assertEquals(Set.of(PASSWORD_RULE), violations(new UpdateUserRequest(null, password)));
    }

    @Test
    void anAccountChangeMayLeaveBothFieldsOut() {
        assertEquals(Set.of(), violations(new UpdateUserRequest(null, null)));
    }

    @Test
    void everyInvalidFieldOfARegistrationIsReported() {
        assertEquals(
                Set.of("id: must be a UUID", USERNAME_RULE, PASSWORD_RULE),
                violations(new RegisterRequest("not-a-uuid", "x", "short")));
    }

    private static Set<String> violations(Object request) {
        return VALIDATOR.validate(request).stream()
                .map(v -> v.getPropertyPath() + ": " + v.getMessage())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
