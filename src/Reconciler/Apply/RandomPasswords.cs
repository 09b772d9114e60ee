using System.Security.Cryptography;

namespace IdentityReplicator.Reconciler.Apply;

/// <summary>
/// Passwords for users the reconciler creates: random, never stored, never logged, known to nobody. They satisfy any
/// Cognito password policy (every character class, at least 64 characters or the pool's minimum). Users reach the
/// target with "forgot password" (see docs/passwords.md).
/// </summary>
public static class RandomPasswords
{
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "^$*.[]{}()?!@#%&/,><:;|_~=+-";

    public static string Create(int minimumLength = 8)
    {
        var length = Math.Clamp(Math.Max(64, minimumLength), 64, 99);
        var all = Upper + Lower + Digits + Symbols;
        var chars = new char[length];
        chars[0] = Pick(Upper);
        chars[1] = Pick(Lower);
        chars[2] = Pick(Digits);
        chars[3] = Pick(Symbols);
        for (var i = 4; i < length; i++)
        {
            chars[i] = Pick(all);
        }

        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    private static char Pick(string alphabet) => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
}
