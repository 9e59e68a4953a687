// Table-driven tests of the identifier validators: for every kind a valid value whose check
// digit the test computes itself, and invalid neighbours (wrong check digit, impossible date,
// unknown region or issuer, wrong length).

import Testing

@testable import SluiceDetect

@Suite struct IdentifierValidatorTests {
    @Test(arguments: [
        ("11010519491231002", true),  // Beijing, 1949-12-31
        ("44030419900229123", false),  // 1990 is not a leap year
        ("44030420000229123", true),  // 2000 is
        ("99030419900101123", false),  // no province 99
        ("31011518991231123", false),  // before 1900
        ("31011521010101123", false),  // in the future
        ("32010619851313123", false),  // month 13
    ])
    func residentID(body: String, valid: Bool) {
        let value = CheckDigits.residentID(body)
        #expect(
            IdentifierValidator.isResidentID(Array(value.utf8), currentYear: 2026) == valid,
            "\(value): want valid=\(valid)")
        if valid {
            let wrong = CheckDigits.wrongLast(value, alphabet: "0123456789X")
            #expect(!IdentifierValidator.isResidentID(Array(wrong.utf8)), "\(wrong) accepted")
        }
    }

    @Test func residentIDKnownExamples() {
        #expect(IdentifierValidator.isResidentID(Array("11010519491231002X".utf8)))
        #expect(!IdentifierValidator.isResidentID(Array("110105194912310021".utf8)))
        #expect(IdentifierValidator.isResidentID(Array("110105491231002".utf8)))
        #expect(!IdentifierValidator.isResidentID(Array("110105491331002".utf8)))
    }

    @Test(arguments: [
        ("91350100M000100Y4", true),
        ("91110000100000000", true),
        ("Z1350100M000100Y4", false),  // unknown registration authority
        ("9135010OM000100Y4", false),  // O is not in the alphabet
        ("910A0100M000100Y4", false),  // region must be digits
    ])
    func creditCode(body: String, valid: Bool) {
        let value = CheckDigits.creditCode(body)
        #expect(
            IdentifierValidator.isUnifiedSocialCreditCode(Array(value.utf8)) == valid,
            "\(value): want valid=\(valid)")
        if valid {
            let wrong = CheckDigits.wrongLast(value, alphabet: "0123456789ABCDEFGHJKLMNPQRTUWXY")
            #expect(!IdentifierValidator.isUnifiedSocialCreditCode(Array(wrong.utf8)))
        }
    }

    @Test(arguments: [
        ("622202123456789012", true),  // UnionPay, 19 digits
        ("622848004567123", true),  // UnionPay, 16
        ("411111111111111", true),  // Visa 16
        ("37828224631000", true),  // Amex 15
        ("353011133330000", true),  // JCB 16
        ("955880123456789012", true),  // ICBC domestic 19
        ("123456789012345", false),  // no issuer 1
        ("70000000000000", false),  // no issuer 7
        ("3782822463100", false),  // Amex must be 15
        ("222100000000000", true),  // Mastercard 2-series
        ("272100000000000", false),  // beyond 2720
        ("622202123456", false),  // 12 digits is too short even when the Luhn sum is right
    ])
    func bankCard(body: String, valid: Bool) {
        let value = body + CheckDigits.luhn(body)
        #expect(
            IdentifierValidator.isBankCard(Array(value.utf8)) == valid,
            "\(value): want valid=\(valid)")
        let wrong = CheckDigits.wrongLast(value, alphabet: "0123456789")
        #expect(!IdentifierValidator.isBankCard(Array(wrong.utf8)), "\(wrong) accepted")
    }

    @Test(arguments: [
        ("13812345678", true), ("19912345678", true), ("14512345678", true),
        ("16612345678", true), ("17812345678", true),
        ("12812345678", false), ("14012345678", false), ("16012345678", false),
        ("17912345678", false), ("1381234567", false), ("23812345678", false),
    ])
    func mobile(value: String, valid: Bool) {
        #expect(IdentifierValidator.isMainlandMobile(Array(value.utf8)) == valid, "\(value)")
    }

    @Test(arguments: [
        ("DE", "370400440532013000", true),
        ("GB", "NWBK60161331926819", true),
        ("FR", "20041010050500013M02606", true),
        ("NO", "86011117947", true),
        ("DE", "3704004405320130001", false),  // one character too long for DE
        ("XX", "370400440532013000", false),  // no such country
    ])
    func iban(country: String, basic: String, valid: Bool) {
        let value = CheckDigits.iban(country: country, basic: basic)
        #expect(IdentifierValidator.isIBAN(Array(value.utf8)) == valid, "\(value)")
        if valid {
            let digits = Array(value.utf8)
            var wrong = digits
            wrong[3] = digits[3] == 0x39 ? 0x30 : digits[3] + 1
            #expect(!IdentifierValidator.isIBAN(wrong), "\(String(decoding: wrong, as: UTF8.self))")
        }
    }

    @Test func ibanKnownExample() {
        #expect(IdentifierValidator.isIBAN(Array("GB82WEST12345698765432".utf8)))
        #expect(!IdentifierValidator.isIBAN(Array("GB82WEST12345698765433".utf8)))
    }

    @Test(arguments: [
        ("536221234", true), ("001010001", true), ("899991234", true),
        ("000221234", false), ("666221234", false), ("900221234", false),
        ("536001234", false), ("536220000", false), ("078051120", false),
        ("123456789", false), ("53622123", false),
    ])
    func socialSecurityNumber(value: String, valid: Bool) {
        #expect(
            IdentifierValidator.isSocialSecurityNumber(Array(value.utf8)) == valid, "\(value)")
    }
}

/// Check digits computed independently of the code under test.
enum CheckDigits {
    static func residentID(_ body: String) -> String {
        var sum = 0
        for (index, character) in body.enumerated() {
            let weight = (1 << (17 - index)) % 11
            sum += weight * (character.wholeNumberValue ?? 0)
        }
        let check = (12 - sum % 11) % 11
        return body + (check == 10 ? "X" : String(check))
    }

    static func creditCode(_ body: String) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        var sum = 0
        var weight = 1
        for character in body {
            sum += (alphabet.firstIndex(of: character) ?? 0) * weight
            weight = weight * 3 % 31
        }
        return body + String(alphabet[(31 - sum % 31) % 31])
    }

    static func luhn(_ body: String) -> String {
        var sum = 0
        for (index, character) in body.reversed().enumerated() {
            var value = character.wholeNumberValue ?? 0
            if index % 2 == 0 {
                value = value * 2 > 9 ? value * 2 - 9 : value * 2
            }
            sum += value
        }
        return String((10 - sum % 10) % 10)
    }

    static func iban(country: String, basic: String) -> String {
        let rearranged = basic + country + "00"
        var remainder = 0
        for character in rearranged {
            let digits =
                character.isNumber
                ? String(character)
                : String(Int(character.asciiValue ?? 65) - 55)
            for digit in digits {
                remainder = (remainder * 10 + (digit.wholeNumberValue ?? 0)) % 97
            }
        }
        let check = 98 - remainder
        return country + (check < 10 ? "0" : "") + String(check) + basic
    }

    /// `value` with its last character replaced by the next one in `alphabet`.
    static func wrongLast(_ value: String, alphabet: String) -> String {
        let characters = Array(alphabet)
        let last = value.last ?? "0"
        let index = characters.firstIndex(of: last) ?? 0
        return String(value.dropLast()) + String(characters[(index + 1) % characters.count])
    }
}
