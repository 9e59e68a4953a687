// Check-digit and structure rules for the identifiers SluiceDetect reports. The matcher only
// finds candidates of the right shape; these functions decide whether a candidate is real.
// Each takes the candidate's characters in canonical form: ASCII, separators removed.

import Foundation

/// Validation rules, one function per identifier kind.
public enum IdentifierValidator {
    /// Mainland resident identity numbers: 18 characters with a GB 11643 (ISO 7064 MOD 11-2)
    /// check character, or 15-digit numbers issued before 1999. The first two digits must be a
    /// province code and the birth date a real date no later than `currentYear`.
    public static func isResidentID(_ value: [UInt8], currentYear: Int = Self.thisYear) -> Bool {
        guard value.count == 18 || value.count == 15,
            value.dropLast().allSatisfy(isDigit),
            provinceCodes.contains(number(value[0..<2]))
        else {
            return false
        }
        if value.count == 15 {
            guard let last = value.last, isDigit(last) else {
                return false
            }
            let year = 1900 + number(value[6..<8])
            return isDate(year: year, month: number(value[8..<10]), day: number(value[10..<12]))
        }
        let year = number(value[6..<10])
        guard year >= 1900, year <= currentYear,
            isDate(year: year, month: number(value[10..<12]), day: number(value[12..<14]))
        else {
            return false
        }
        return residentIDCheck(value[0..<17]) == value[17]
    }

    /// The GB 11643 check character (`0`–`9` or `X`) for the first 17 digits.
    public static func residentIDCheck(_ digits: ArraySlice<UInt8>) -> UInt8 {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var sum = 0
        for (weight, digit) in zip(weights, digits) {
            sum += weight * Int(digit &- 0x30)
        }
        return Array("10X98765432".utf8)[sum % 11]
    }

    /// Unified social credit codes (GB 32100): 18 characters from the code alphabet, a
    /// registration authority and type, a six-digit region, and a mod-31 check character.
    public static func isUnifiedSocialCreditCode(_ value: [UInt8]) -> Bool {
        guard value.count == 18,
            Array("123456789ABCDEFGY".utf8).contains(value[0]),
            value[1] >= 0x31 && value[1] <= 0x39,
            value[2..<8].allSatisfy(isDigit),
            value.allSatisfy({ creditCodeAlphabet.contains($0) })
        else {
            return false
        }
        return creditCodeCheck(value[0..<17]) == value[17]
    }

    /// The GB 32100 check character for the first 17 characters; 0 for a foreign character.
    public static func creditCodeCheck(_ characters: ArraySlice<UInt8>) -> UInt8 {
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        var sum = 0
        for (weight, character) in zip(weights, characters) {
            guard let value = creditCodeAlphabet.firstIndex(of: character) else {
                return 0
            }
            sum += weight * value
        }
        return creditCodeAlphabet[(31 - sum % 31) % 31]
    }

    /// Payment card numbers: 13–19 digits, a Luhn check digit, and a known issuer prefix
    /// with a length that issuer uses (UnionPay 62 and 81, Visa, Mastercard, Amex, JCB, …).
    public static func isBankCard(_ value: [UInt8]) -> Bool {
        guard value.count >= 13, value.count <= 19, value.allSatisfy(isDigit) else {
            return false
        }
        return hasIssuerPrefix(value) && luhnCheck(value)
    }

    /// True when the digits pass the Luhn (mod 10) check.
    public static func luhnCheck(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            var value = Int(digit &- 0x30)
            if position % 2 == 1 {
                value *= 2
                if value > 9 {
                    value -= 9
                }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    /// Mainland mobile numbers: 11 digits in an allocated 1xx block, without country code.
    public static func isMainlandMobile(_ value: [UInt8]) -> Bool {
        guard value.count == 11, value.allSatisfy(isDigit), value[0] == 0x31 else {
            return false
        }
        let second = value[1] &- 0x30
        let third = value[2] &- 0x30
        switch second {
        case 3, 5, 8, 9: return true
        case 4: return [5, 6, 7, 8, 9].contains(third)
        case 6: return [2, 5, 6, 7].contains(third)
        case 7: return third <= 8
        default: return false
        }
    }

    /// IBANs (ISO 13616): a known country with its exact length and a mod-97 remainder of 1.
    /// `value` is uppercase with spaces removed.
    public static func isIBAN(_ value: [UInt8]) -> Bool {
        guard value.count >= 15, value.count <= 34,
            let country = String(bytes: value[0..<2], encoding: .ascii),
            ibanLengths[country] == value.count,
            value[2..<4].allSatisfy(isDigit),
            value.allSatisfy({ isDigit($0) || ($0 >= 0x41 && $0 <= 0x5A) })
        else {
            return false
        }
        var remainder = 0
        for character in value[4...] + value[0..<4] {
            if isDigit(character) {
                remainder = (remainder * 10 + Int(character - 0x30)) % 97
            } else {
                remainder = (remainder * 100 + Int(character - 0x41 + 10)) % 97
            }
        }
        return remainder == 1
    }

    /// US social security numbers (nine digits): area not 000, 666 or 900–999, group not 00,
    /// serial not 0000, and not one of the numbers printed in advertising.
    public static func isSocialSecurityNumber(_ value: [UInt8]) -> Bool {
        guard value.count == 9, value.allSatisfy(isDigit) else {
            return false
        }
        let area = number(value[0..<3])
        let group = number(value[3..<5])
        let serial = number(value[5..<9])
        let published = ["078051120", "219099999", "123456789"]
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
            && !published.contains(String(decoding: value, as: UTF8.self))
    }

    public static var thisYear: Int {
        Calendar(identifier: .gregorian).component(.year, from: Date())
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int {
        digits.reduce(0) { $0 * 10 + Int($1 &- 0x30) }
    }

    private static func isDate(year: Int, month: Int, day: Int) -> Bool {
        guard month >= 1, month <= 12, day >= 1 else {
            return false
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    private static func hasIssuerPrefix(_ digits: [UInt8]) -> Bool {
        let length = digits.count
        let prefix = { (count: Int) in number(digits[0..<count]) }
        switch prefix(1) {
        case 4:
            return [13, 16, 19].contains(length)
        case 5:
            return (51...55).contains(prefix(2)) ? length == 16 : length >= 16
        case 2:
            return (2221...2720).contains(prefix(4)) && length == 16
        case 3:
            if [34, 37].contains(prefix(2)) {
                return length == 15
            }
            if (3528...3589).contains(prefix(4)) {
                return length >= 16
            }
            return ((300...305).contains(prefix(3)) || [36, 38, 39].contains(prefix(2)))
                && length >= 14
        case 6:
            return length >= 16
        case 8:
            return prefix(2) == 81 && length >= 16
        case 9:
            return [9558, 9559].contains(prefix(4)) && length >= 16
        default:
            return false
        }
    }

    private static let creditCodeAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)

    private static let provinceCodes: Set<Int> = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
    ]

    private static let ibanLengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
        "BH": 22, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22,
        "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
        "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28,
        "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
        "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
        "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24,
        "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31,
        "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
        "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    ]
}
