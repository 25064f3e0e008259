/*
 * Drives the TrusToken module through the JDK's SunPKCS11 provider and
 * checks each result with the JDK's own software providers (SunEC, SunRsaSign,
 * SunJCE), which share no code with the module. Run by crypto_java.sh:
 *
 *   java TkCryptoCheck.java <sunpkcs11.cfg> <pin> <ec alias> <rsa alias>
 *
 * The key pairs named by the aliases were made on the token by keytool.
 * Prints one "ok: ..." line per check and exits non-zero on the first
 * failure.
 */
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public final class TkCryptoCheck {
    private static final SecureRandom RNG = new SecureRandom();

    private TkCryptoCheck() {
    }

    private static void check(boolean cond, String what) {
        if (!cond) {
            throw new AssertionError("FAIL: " + what);
        }
        System.out.println("ok: " + what);
    }

    /* Sign in the token, verify with the software provider; a changed
     * message must not verify. */
    private static void signVerify(Provider p11, String alg, PrivateKey priv, PublicKey pub)
            throws Exception {
        byte[] msg = new byte[1500];
        RNG.nextBytes(msg);

        Signature s = Signature.getInstance(alg, p11);
        s.initSign(priv);
        s.update(msg);
        byte[] sig = s.sign();

        Signature v = Signature.getInstance(alg);
        check(!"SunPKCS11-TrusToken".equals(v.getProvider().getName()),
              alg + " verifier is a software provider (" + v.getProvider().getName() + ")");
        v.initVerify(pub);
        v.update(msg);
        check(v.verify(sig), alg + " signature made in the token verifies in software");

        msg[0] ^= 1;
        v.initVerify(pub);
        v.update(msg);
        check(!v.verify(sig), alg + " signature does not verify for a changed message");
    }

    /* RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt. */
    private static void rsaPss(Provider p11, PrivateKey priv, PublicKey pub) throws Exception {
        PSSParameterSpec pss = new PSSParameterSpec("SHA-256", "MGF1",
                                                    MGF1ParameterSpec.SHA256, 32, 1);
        byte[] msg = new byte[777];
        RNG.nextBytes(msg);

        Signature s = Signature.getInstance("RSASSA-PSS", p11);
        s.setParameter(pss);
        s.initSign(priv);
        s.update(msg);
        byte[] sig = s.sign();

        Signature v = Signature.getInstance("RSASSA-PSS", "SunRsaSign");
        v.setParameter(pss);
        v.initVerify(pub);
        v.update(msg);
        check(v.verify(sig), "RSASSA-PSS signature made in the token verifies in SunRsaSign");
    }

    /* RSA PKCS#1 v1.5 encryption in software, decryption in the token. */
    private static void rsaDecrypt(Provider p11, PrivateKey priv, PublicKey pub)
            throws Exception {
        byte[] secret = new byte[48];
        RNG.nextBytes(secret);
        Cipher e = Cipher.getInstance("RSA/ECB/PKCS1Padding", "SunJCE");
        e.init(Cipher.ENCRYPT_MODE, pub);
        byte[] ct = e.doFinal(secret);

        Cipher d = Cipher.getInstance("RSA/ECB/PKCS1Padding", p11);
        d.init(Cipher.DECRYPT_MODE, priv);
        check(Arrays.equals(d.doFinal(ct), secret),
              "RSA PKCS#1 v1.5: the token decrypts what SunJCE encrypted");
    }

    /* ECDH between the token's key and a software P-256 key. */
    private static void ecdh(Provider p11, PrivateKey tokPriv, PublicKey tokPub) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair peer = g.generateKeyPair();

        KeyAgreement t = KeyAgreement.getInstance("ECDH", p11);
        t.init(tokPriv);
        t.doPhase(peer.getPublic(), true);
        byte[] zTok = t.generateSecret();

        KeyAgreement s = KeyAgreement.getInstance("ECDH", "SunEC");
        s.init(peer.getPrivate());
        s.doPhase(tokPub, true);
        byte[] zSw = s.generateSecret();
        check(zTok.length == 32 && Arrays.equals(zTok, zSw),
              "ECDH P-256: the token and SunEC derive the same secret");
    }

    /* AES-GCM with a key handed to the token: the token encrypts, SunJCE
     * decrypts, and the other way round; a changed tag is refused. */
    private static void aesGcm(Provider p11) throws Exception {
        byte[] raw = new byte[32];
        byte[] iv = new byte[12];
        byte[] aad = "header".getBytes(StandardCharsets.US_ASCII);
        byte[] pt = new byte[333];
        RNG.nextBytes(raw);
        RNG.nextBytes(iv);
        RNG.nextBytes(pt);
        SecretKeySpec key = new SecretKeySpec(raw, "AES");
        GCMParameterSpec spec = new GCMParameterSpec(128, iv);

        Cipher t = Cipher.getInstance("AES/GCM/NoPadding", p11);
        t.init(Cipher.ENCRYPT_MODE, key, spec);
        t.updateAAD(aad);
        byte[] ct = t.doFinal(pt);

        Cipher s = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        s.init(Cipher.DECRYPT_MODE, key, spec);
        s.updateAAD(aad);
        check(Arrays.equals(s.doFinal(ct), pt), "AES-256-GCM: SunJCE decrypts the token's output");

        byte[] iv2 = iv.clone();
        iv2[0] ^= 1;
        GCMParameterSpec spec2 = new GCMParameterSpec(128, iv2);
        s.init(Cipher.ENCRYPT_MODE, key, spec2);
        s.updateAAD(aad);
        byte[] ct2 = s.doFinal(pt);
        t = Cipher.getInstance("AES/GCM/NoPadding", p11);
        t.init(Cipher.DECRYPT_MODE, key, spec2);
        t.updateAAD(aad);
        check(Arrays.equals(t.doFinal(ct2), pt), "AES-256-GCM: the token decrypts SunJCE's output");

        ct2[ct2.length - 1] ^= 1;
        t.init(Cipher.DECRYPT_MODE, key, spec2);
        t.updateAAD(aad);
        boolean refused = false;
        try {
            t.doFinal(ct2);
        } catch (javax.crypto.AEADBadTagException e) {
            refused = true;
        }
        check(refused, "AES-256-GCM: the token refuses a changed tag");
    }

    public static void main(String[] args) throws Exception {
        Provider p11 = Security.getProvider("SunPKCS11").configure(args[0]);
        Security.addProvider(p11);
        KeyStore ks = KeyStore.getInstance("PKCS11", p11);
        ks.load(null, args[1].toCharArray());

        PrivateKey ecPriv = (PrivateKey) ks.getKey(args[2], null);
        PublicKey ecPub = ks.getCertificate(args[2]).getPublicKey();
        PrivateKey rsaPriv = (PrivateKey) ks.getKey(args[3], null);
        PublicKey rsaPub = ks.getCertificate(args[3]).getPublicKey();
        check(ecPriv != null && rsaPriv != null, "both private keys found on the token");

        signVerify(p11, "SHA256withECDSA", ecPriv, ecPub);
        signVerify(p11, "SHA384withECDSA", ecPriv, ecPub);
        signVerify(p11, "SHA256withRSA", rsaPriv, rsaPub);
        signVerify(p11, "SHA512withRSA", rsaPriv, rsaPub);
        rsaPss(p11, rsaPriv, rsaPub);
        rsaDecrypt(p11, rsaPriv, rsaPub);
        ecdh(p11, ecPriv, ecPub);
        aesGcm(p11);
        System.out.println("all checks passed");
    }
}
