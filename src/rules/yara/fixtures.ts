// YARA test files made for exhunt, stored XOR+base64 (see encoding.ts) because some look like webshells.

import { decodeAtRest } from './encoding.js';

/** name → encoded content and the rules that must match it (empty: must match none). */
export const YARA_FIXTURES: Record<string, { data: string; expect: string[] }> = {
  'chopper-jscript.aspx': {
    expect: ['exhunt_chopper_eval_request'],
    data: 'Zn8aego7PT96Fjs0PS87PT9neBApOSgzKi54f2Rmfz8sOzZyCD8rLz8pLnQTLj83AXggImJreAd2eC80KTs8P3hzYX9k',
  },
  'chopper-script-tag.aspx': {
    expect: ['exhunt_chopper_eval_request'],
    data:
      'Zik5KDMqLno2OzQ9Lzs9P2d4EAk5KDMqLnh6KC80Oy5neCk/KCw/KHhkPC80OS4zNTR6Cjs9PwUWNTs+cnMhPyw7NnIIPysv' +
      'PykuAXgxY3gHdngvNCk7PD94c2EnZnUpOSgzKi5kV1A=',
  },
  'chopper-base64.aspx': {
    expect: ['exhunt_base64_request_loader', 'exhunt_chopper_eval_request'],
    data:
      'Zn8aego7PT96Fjs0PS87PT9neBApOSgzKi54eh4/OC89Zy4oLz9/ZGZ/Pyw7NnIJIykuPzd0Dj8iLnQfNDk1PjM0PXQPDhxi' +
      'dB0/LgkuKDM0PXIJIykuPzd0GTU0LD8oLnQcKDU3GDspP2xuCS4oMzQ9cgg/Ky8/KS50Ey4/NwF4K3gHc3N2eC80KTs8P3hz' +
      'YX9k',
  },
  'oab-dump.aspx': {
    expect: ['exhunt_chopper_eval_request', 'exhunt_oab_vdir_config_with_script'],
    data:
      'FDs3P3p6enp6enp6enp6enp6enp6enp6enp6enp6enpgehUbGHpyHj88Oy82LnoNPzh6CTMuP3NQCT8oLD8oenp6enp6enp6' +
      'enp6enp6enp6enp6enp6enpgeh8CamtQCjU2NhM0Lj8oLDs2enp6enp6enp6enp6enp6enp6enpgem5ialAVPDw2MzQ/Gz4+' +
      'KD8pKRg1NTEpenp6enp6enp6enp6emB6ISdQCD8rLzMoPwkJFnp6enp6enp6enp6enp6enp6enp6enpgehw7Nik/UBg7KTM5' +
      'Gy8uMj80LjM5Oy4zNTR6enp6enp6enp6enp6YHocOzYpP1ANMzQ+NS0pGy8uMj80LjM5Oy4zNTR6enp6enp6enp6emB6Digv' +
      'P1AVGy8uMhsvLjI/NC4zOTsuMzU0enp6enp6enp6enp6emB6DigvP1AXPy47ODspPwo7LjJ6enp6enp6enp6enp6enp6enp6' +
      'emB6ExMJYHV1HwJqa3Q5NSgqdD8iOzcqNj91DWkJDBl1a3UIFRUOdRUbGFAKOy4yenp6enp6enp6enp6enp6enp6enp6enp6' +
      'enp6emB6GWAGCig1PSg7N3ocMzY/KQYXMzkoNSk1PC4GHyI5Mjs0PT96CT8oLD8oBgxrbwYcKDU0Lh80PgYSLi4qCig1IiMG' +
      'FRsYUB8iLj80Pj8+Cig1Lj85LjM1NA41MT80GTI/OTEzND16YHoUNTQ/UB8iLj80Pj8+Cig1Lj85LjM1NBw2Oz0penp6enp6' +
      'enp6YHohJ1ATNC4/KDQ7Ng8oNnp6enp6enp6enp6enp6enp6enp6emB6Mi4uKilgdXU/ImprdDk1KCp0PyI7Nyo2P3UVGxhQ' +
      'EzQuPyg0OzYbLy4yPzQuMzk7LjM1NBc/LjI1Pil6enpgeiENMzQ+NS0pEzQuPz0oOy4/PnZ6FRsvLjInUB8iLj8oNDs2Dyg2' +
      'enp6enp6enp6enp6enp6enp6enp6YHoyLi4qYHV1PHVmKTkoMyouejY7ND0vOz0/Z3gQCTkoMyoueHooLzQ7Lmd4KT8oLD8o' +
      'eGQ8LzQ5LjM1NHoKOz0/BRY1Oz5ycyE/LDs2cgg/Ky8/KS4BeCp4B3Z4LzQpOzw/eHNhJ2Z1KTkoMyouZFAfIi4/KDQ7Nhsv' +
      'LjI/NC4zOTsuMzU0Fz8uMjU+KXp6emB6IQ0zND41LSkTNC4/PSg7Lj8+dnoVGy8uMidQ',
  },
  'pst-wrapped.aspx': {
    expect: ['exhunt_chopper_eval_request', 'exhunt_pst_wrapped_script'],
    data:
      'exgeFFFqDyDFnrNUaQIn+J22S2wB2v+QtU5jBNnyl6hNZjvc8YqvQGU+0/SJokcYPdbrjKF6HzDV7oOkeRI3yO2GW3wRKs/g' +
      'hV5zFCnC57hddgsswZq/UHUOI8SZsldoDSb7nLFKbwAl/pO0SWIH2P2Wq0xhOt/wla5DZDnS94itRhs80eqPoEUeM9Tpgqd4' +
      'HTbL7IFafxA1zuOEWXIXKM3mu1xxCi/A5b5TdAkix5i9VmsMIfqfsFVuAyT5krdIbQbb/JGqT2AF3vOUqUJnON32i6xBGj/Q' +
      '9Y6jRBky1+iNpnscMcrvgKV+EzTJ4odYfRYrzOG6X3AVLsPkuVJ3CC3Gm7xRag8gxZ6zVGkCJ/idtktsAdr/kLVOYwTZ8peo' +
      'TWY73PGKr0BlPtP0iaJHGD3W64yheh8w1e6DpHkSN8jthlt8ESrP4IVecxQpwue4XXYLLMGav1B1DiPEmbJXaA0m+5yxSm8A' +
      'Jf6TtEliB9j9lqtMYTrf8JWuQ2Q50veIrUYbPNHqj6BFHjPU6YKneB02y+yBWn8QNc7jhFlyFyjN5rtccQovwOW+U3QJIseY' +
      'vVZrDCH6n7BVbgMk+ZK3SG0G2/yRqk9gBd7zlKlCZzjd9ousQRo/0PWOo0QZMtfojaZ7HDHK74ClfhM0yeKHWH0WK8zhul9w' +
      'FS7D5LlSdwgtxpu8UWoPIMWes1RpAif4nbZLbAHa/5C1TmME2fKXqE1mO9zxiq9AZT7T9ImiRxg91uuMoXofMNXug6R5EjfI' +
      '7YZbfBEqz+CFXnMUKcLnuF12CyzBmr9QdQ4jxGYpOSgzKi56Njs0PS87PT9neBAJOSgzKi54eigvNDsuZ3gpPygsPyh4ZDwv' +
      'NDkuMzU0ego7PT8FFjU7PnJzIT8sOzZyCD8rLz8pLgF4O3gHdngvNCk7PD94c2EnZnUpOSgzKi5kUWoPIMWes1RpAif4nbZL' +
      'bAHa/5C1TmME2fKXqE1mO9zxiq9AZT7T9ImiRxg91uuMoXofMNXug6R5EjfI7YZbfBEqz+CFXnMUKcLnuF12CyzBmr9QdQ4j' +
      'xJmyV2gNJvucsUpvACX+k7RJYgfY/ZarTGE63/CVrkNkOdL3iK1GGzzR6o+gRR4z1OmCp3gdNsvsgVp/EDXO44RZchcozea7' +
      'XHEKL8DlvlN0CSLHmL1Wawwh+p+wVW4DJPmSt0htBtv8kapPYAXe85SpQmc43faLrEEaP9D1jqNEGTLX6I2mexwxyu+ApX4T' +
      'NMnih1h9FivM4bpfcBUuw+S5UncILcabvFFqDyDFnrNUaQIn+J22S2wB2v+QtU5jBNnyl6hNZjvc8YqvQGU+0/SJokcYPdbr' +
      'jKF6HzDV7oOkeRI3yO2GW3wRKs/ghV5zFCnC57hddgsswZq/UHUOI8SZsldoDSb7nLFKbwAl/pO0SWIH2P2Wq0xhOt/wla5D' +
      'ZDnS94itRhs80eqPoEUeM9Tpgqd4HTbL7IFafxA1zuOEWXIXKM3mu1xxCi/A5b5TdAkix5i9VmsMIfqfsFVuAyT5krdIbQbb' +
      '/JGqT2AF3vOUqUJnON32i6xBGj/Q9Y6jRBky1+iNpnscMcrvgKV+EzTJ4odYfRYrzOG6X3AVLsPkuVJ3CC3Gm7xRag8gxZ6z' +
      'VGkCJ/idtktsAdr/kLVOYwTZ8peoTWY73PGKr0BlPtP0iaJHGD3W64yheh8w1e6DpHkSN8jthlt8ESrP4IVecxQpwue4XXYL' +
      'LMGav1B1DiPE',
  },
  'der-wrapped.aspx': {
    expect: ['exhunt_der_wrapped_script'],
    data:
      'athZSmrYWKJRag8gxZ6zVGkCJ/idtktsAdr/kLVOYwTZ8peoTWY73PGKr0BlPtP0iaJHGD3W64yheh8w1e6DpHkSN8jthlt8' +
      'ESrP4IVecxQpwue4XXYLLMGav1B1DiPEmbJXaA0m+5yxSm8AJf6TtEliB9j9lqtMYTrf8JWuQ2Q50veIrUYbPNHqj6BFHjPU' +
      '6YKneB02y+yBWn8QNc7jhFlyFyjN5rtccQovwOW+U3QJIseYvVZrDCH6n7BVbgMk+ZK3SG0G2/yRqk9gBd7zlGZ/GnoKOz0/' +
      'ehY7ND0vOz0/Z3gQKTkoMyoueH9kZn8IPykqNTQpP3QNKDMuP3J4NTF4c39kUWoPIMWes1RpAif4nbZLbAHa/5C1TmME2fKX' +
      'qE1mO9zxiq9AZT7T9ImiRxg91uuMoXofMNXug6R5EjfI7YZbfBEqz+CFXnMUKcLnuF12CyzBmr9QdQ4jxJmyV2gNJvucsUpv' +
      'AA==',
  },
  'loader.aspx': {
    expect: ['exhunt_base64_request_loader'],
    data:
      'Zn8aego7PT96Fjs0PS87PT9neBl5eHp/ZGZ/egkjKS4/N3QIPzw2PzkuMzU0dBspKT83ODYjdBY1Oz5yGTU0LD8oLnQcKDU3' +
      'GDspP2xuCS4oMzQ9cgg/Ky8/KS50HDUoNwF4PngHc3N0GSg/Oy4/EzQpLjs0OT9yeBF4c3QfKy87NilyLjIzKXNhen9k',
  },
  'xslt-loader.aspx': {
    expect: ['exhunt_base64_request_loader'],
    data:
      'Zn8aego7PT96Fjs0PS87PT9neBl5eHp/ZGZ/eiw7KHoiemd6ND8tegkjKS4/N3QCNzZ0Ajc2HjU5Lzc/NC5yc2F6InQWNTs+' +
      'Ajc2cgkjKS4/N3QOPyIudB80OTU+MzQ9dA8OHGJ0HT8uCS4oMzQ9chk1NCw/KC50HCg1Nxg7KT9sbgkuKDM0PXIIPysvPyku' +
      'AXgieAdzc3Nheiw7KHouemd6ND8tegkjKS4/N3QCNzZ0Aik2dAIpNhk1NyozNj8+Dig7NCk8NSg3cnNhei50FjU7PnIic2F6' +
      'LnQOKDs0KTw1KDdyInZ6NC82NnZ6CD8pKjU0KT90FS8uKi8uc2F6f2Q=',
  },
  'uploader.aspx': {
    expect: ['exhunt_aspx_uploader_oneliner'],
    data:
      'Zn8aego7PT96Fjs0PS87PT9neBl5eHp/ZGZ/ejM8enIIPysvPykudBwzNj8pdBk1LzQuemR6anN6CD8rLz8pLnQcMzY/KQFq' +
      'B3QJOyw/GylyCT8oLD8odBc7Kgo7LjJyeCR1eHN6cXoIPysvPykuAXg0eAdzYXp/ZA==',
  },
  'lsass.dmp': {
    expect: ['exhunt_minidump_of_lsass'],
    data:
      'Fx4XClFqDyDFnrNUaQIn+J22S2wB2v+QtU5jBNnyl6hNZjvc8YqvQGU+0/SJokcYPdbrjKF6HzDV7oOkeRI3yO2GW3wRKs/g' +
      'hV5zFCnC57hddgsswZq/UHUOI8SZsldoDSb7nLFKbwAl/pO0SWIH2P2Wq0xhOt/wla5DZDnS94itRhs80eqPoEUeM9Tpgqd4' +
      'HTbL7IFafxA1zuOEWXIXKM3mu1xxCi/A5b5TdAkix5i9VmsMIfqfsFVuAyT5krdIbQbb/JGqT2AF3vOUqUJnON32i6xBGj/Q' +
      '9Y6jRBky1+iNpnscMcrvgKV+EzTJ4odYfRYrzOG6X3AVLsPkuVJ3CC3Gm7xRag8gxZ6zVGkCJ/idtktsAdr/kLVOYwTZ8peo' +
      'TWY73PGKr0BlPtP0iaJHGD3W64yheh8w1e6DpHkSN8jthlt8ESrP4IVecxQpwue4XXYLLMGav1B1DiPEmbJXaA0m+5yxSm8A' +
      'Jf6TtEliB9j9lqtMYTrf8JWuQ2Q50veIrUYbPNHqj6BFHjPU6YKneB02y+yBWn8QNc7jhFlyFyjN5rtccQovwOW+U3QJIseY' +
      'vVZrDCH6n7BVbgMk+ZK3SG0G2/yRqk9gBd7zlKlCZzjd9ousQRo/0PWOo0QZMtfojaZ7HDHK74ClfhM0yeKHWH0WK8zhul9w' +
      'FS7D5LlSdwgtxpu8UWoPIMWes1RpAif4nbZLbAHa/5C1TmME2fKXqE1mO9zxiq9AZT7T9ImiRxg91uuMoXofMNXug6R5EjfI' +
      '7YZbfBEqz+CFXnMUKcLnuF12CyzBmr9QdQ4jxBlaYFoGWg1aM1o0Wj5aNVotWilaBloJWiNaKVouWj9aN1ppWmhaBlo2Wila' +
      'O1opWiladFo/WiJaP1pRag8gxZ6zVGkCJ/idtktsAdr/kLVOYwTZ8peoTWY73PGKr0BlPtP0iaJHGD3W64yheh8w1e6DpHkS' +
      'N8jthlt8ESrP4IVecxQpwue4XXYLLMGav1B1DiPEmbJXaA0m+5yxSm8AJf6TtEliB9j9lqtMYTrf8JWuQ2Q50veIrUYbPNHq' +
      'j6BFHjPU6YKneB02y+yBWn8QNc7jhFlyFyjN5rtccQovwOW+U3QJIseYvVZrDCH6n7BVbgMk+ZK3SG0G2/yRqk9gBd7zlKlC' +
      'Zzjd9ousQRo/0PWOo0QZMtfojaZ7HDHK74ClfhM0yeKHWH0WK8zhul9wFS7D5LlSdwgtxpu8UWoPIMWes1RpAif4nbZLbAHa' +
      '/5C1TmME2fKXqE1mO9zxiq9AZT7T9ImiRxg91uuMoXofMNXug6R5EjfI7YZbfBEqz+CFXnMUKcLnuF12CyzBmr9QdQ4jxJmy' +
      'V2gNJvucsUpvACX+k7RJYgfY/ZarTGE63/CVrkNkOdL3iK1GGzzR6o+gRR4z1OmCp3gdNsvsgVp/EDXO44RZchcozea7XHEK' +
      'L8DlvlN0CSLHmL1Wawwh+p+wVW4DJPmSt0htBtv8kapPYAXe85SpQmc43faLrEEaP9D1jqNEGTLX6I2mexwxyu+ApX4TNMni' +
      'h1h9FivM4bpfcBUuw+S5UncILcabvFFqDyDFnrNUaQIn+J22S2wB2v+QtU5jBNnyl6hNZjvc8YqvQGU+0/SJokcYPdbrjKF6' +
      'HzDV7oOkeRI3yO2GW3wRKs/ghV5zFCnC57hddgsswZq/UHUOI8Q=',
  },
  'normal.aspx': {
    expect: [],
    data:
      'Zn8aego7PT96Fjs0PS87PT9neBl5eHp/ZGYyLjc2ZGYpOSgzKi56LiMqP2d4Lj8iLnUwOyw7KTkoMyoueGQ/LDs2cnhrcWt4' +
      'c2FmdSk5KDMqLmRmf3oIPykqNTQpP3QNKDMuP3IJPygsPyh0Ei43Nh80OTU+P3IIPysvPykudAsvPygjCS4oMzQ9AXg2OzQ9' +
      'eAdzc2F6f2RmdTIuNzZk',
  },
  'oab-settings.txt': {
    expect: [],
    data:
      'FDs3P3p6enp6enp6enp6enp6enp6enp6enp6enp6enpgehUbGHpyHj88Oy82LnoNPzh6CTMuP3NQCT8oLD8oenp6enp6enp6' +
      'enp6enp6enp6enp6enp6enpgeh8CamtQCjU2NhM0Lj8oLDs2enp6enp6enp6enp6enp6enp6enpgem5ialAVPDw2MzQ/Gz4+' +
      'KD8pKRg1NTEpenp6enp6enp6enp6emB6ISdQCD8rLzMoPwkJFnp6enp6enp6enp6enp6enp6enp6enpgehw7Nik/UBg7KTM5' +
      'Gy8uMj80LjM5Oy4zNTR6enp6enp6enp6enp6YHocOzYpP1ANMzQ+NS0pGy8uMj80LjM5Oy4zNTR6enp6enp6enp6emB6Digv' +
      'P1AVGy8uMhsvLjI/NC4zOTsuMzU0enp6enp6enp6enp6emB6DigvP1AXPy47ODspPwo7LjJ6enp6enp6enp6enp6enp6enp6' +
      'emB6ExMJYHV1HwJqa3Q5NSgqdD8iOzcqNj91DWkJDBl1a3UIFRUOdRUbGFAKOy4yenp6enp6enp6enp6enp6enp6enp6enp6' +
      'enp6emB6GWAGCig1PSg7N3ocMzY/KQYXMzkoNSk1PC4GHyI5Mjs0PT96CT8oLD8oBgxrbwYcKDU0Lh80PgYSLi4qCig1IiMG' +
      'FRsYUB8iLj80Pj8+Cig1Lj85LjM1NA41MT80GTI/OTEzND16YHoUNTQ/UB8iLj80Pj8+Cig1Lj85LjM1NBw2Oz0penp6enp6' +
      'enp6YHohJ1ATNC4/KDQ7Ng8oNnp6enp6enp6enp6enp6enp6enp6emB6Mi4uKilgdXU/ImprdDk1KCp0PyI7Nyo2P3UVGxhQ' +
      'EzQuPyg0OzYbLy4yPzQuMzk7LjM1NBc/LjI1Pil6enpgeiENMzQ+NS0pEzQuPz0oOy4/PnZ6FRsvLjInUB8iLj8oNDs2Dyg2' +
      'enp6enp6enp6enp6enp6enp6enp6YHoyLi4qKWB1dTc7MzZ0OTUoKnQ/Ijs3KjY/dRUbGFAfIi4/KDQ7NhsvLjI/NC4zOTsu' +
      'MzU0Fz8uMjU+KXp6emB6IQ0zND41LSkTNC4/PSg7Lj8+dnoVGy8uMidQ',
  },
  'mailbox.pst': {
    expect: [],
    data:
      'exgeFFFqDyDFnrNUaQIn+J22S2wB2v+QtU5jBNnyl6hNZjvc8YqvQGU+0/SJokcYPdbrjKF6HzDV7oOkeRI3yO2GW3wRKs/g' +
      'hV5zFCnC57hddgsswZq/UHUOI8SZsldoDSb7nLFKbwAl/pO0SWIH2P2Wq0xhOt/wla5DZDnS94itRhs80eqPoEUeM9Tpgqd4' +
      'HTbL7IFafxA1zuOEWXIXKM3mu1xxCi/A5b5TdAkix5i9VmsMIfqfsFVuAyT5krdIbQbb/JGqT2AF3vOUqUJnON32i6xBGj/Q' +
      '9Y6jRBky1+iNpnscMcrvgKV+EzTJ4odYfRYrzOG6X3AVLsPkuVJ3CC3Gm7xRag8gxZ6zVGkCJ/idtktsAdr/kLVOYwTZ8peo' +
      'TWY73PGKr0BlPtP0iaJHGD3W64yheh8w1e6DpHkSN8jthlt8ESrP4IVecxQpwue4XXYLLMGav1B1DiPEmbJXaA0m+5yxSm8A' +
      'Jf6TtEliB9j9lqtMYTrf8JWuQ2Q50veIrUYbPNHqj6BFHjPU6YKneB02y+yBWn8QNc7jhFlyFyjN5rtccQovwOW+U3QJIseY' +
      'vVZrDCH6n7BVbgMk+ZK3SG0G2/yRqk9gBd7zlKlCZzjd9ousQRo/0PWOo0QZMtfojaZ7HDHK74ClfhM0yeKHWH0WK8zhul9w' +
      'FS7D5LlSdwgtxpu8UWoPIMWes1RpAif4nbZLbAHa/5C1TmME2fKXqE1mO9zxiq9AZT7T9ImiRxg91uuMoXofMNXug6R5EjfI' +
      '7YZbfBEqz+CFXnMUKcLnuF12CyzBmr9QdQ4jxFFqDyDFnrNUaQIn+J22S2wB2v+QtU5jBNnyl6hNZjvc8YqvQGU+0/SJokcY' +
      'PdbrjKF6HzDV7oOkeRI3yO2GW3wRKs/ghV5zFCnC57hddgsswZq/UHUOI8SZsldoDSb7nLFKbwAl/pO0SWIH2P2Wq0xhOt/w' +
      'la5DZDnS94itRhs80eqPoEUeM9Tpgqd4HTbL7IFafxA1zuOEWXIXKM3mu1xxCi/A5b5TdAkix5i9VmsMIfqfsFVuAyT5krdI' +
      'bQbb/JGqT2AF3vOUqUJnON32i6xBGj/Q9Y6jRBky1+iNpnscMcrvgKV+EzTJ4odYfRYrzOG6X3AVLsPkuVJ3CC3Gm7xRag8g' +
      'xZ6zVGkCJ/idtktsAdr/kLVOYwTZ8peoTWY73PGKr0BlPtP0iaJHGD3W64yheh8w1e6DpHkSN8jthlt8ESrP4IVecxQpwue4' +
      'XXYLLMGav1B1DiPEmbJXaA0m+5yxSm8AJf6TtEliB9j9lqtMYTrf8JWuQ2Q50veIrUYbPNHqj6BFHjPU6YKneB02y+yBWn8Q' +
      'Nc7jhFlyFyjN5rtccQovwOW+U3QJIseYvVZrDCH6n7BVbgMk+ZK3SG0G2/yRqk9gBd7zlKlCZzjd9ousQRo/0PWOo0QZMtfo' +
      'jaZ7HDHK74ClfhM0yeKHWH0WK8zhul9wFS7D5LlSdwgtxpu8UWoPIMWes1RpAif4nbZLbAHa/5C1TmME2fKXqE1mO9zxiq9A' +
      'ZT7T9ImiRxg91uuMoXofMNXug6R5EjfI7YZbfBEqz+CFXnMUKcLnuF12CyzBmr9QdQ4jxFFqDyDFnrNUaQIn+J22S2wB2v+Q' +
      'tU5jBNnyl6hNZjvc8YqvQGU+0/SJokcYPdbrjKF6HzDV7oOkeRI3yO2GW3wRKs/ghV5zFCnC57hddgsswZq/UHUOI8SZsldo' +
      'DSb7nLFKbwAl/pO0SWIH2P2Wq0xhOt/wla5DZDnS94itRhs80eqPoEUeM9Tpgqd4HTbL7IFafxA1zuOEWXIXKM3mu1xxCi/A' +
      '5b5TdAkix5i9VmsMIfqfsFVuAyT5krdIbQbb/JGqT2AF3vOUqUJnON32i6xBGj/Q9Y6jRBky1+iNpnscMcrvgKV+EzTJ4odY' +
      'fRYrzOG6X3AVLsPkuVJ3CC3Gm7xRag8gxZ6zVGkCJ/idtktsAdr/kLVOYwTZ8peoTWY73PGKr0BlPtP0iaJHGD3W64yheh8w' +
      '1e6DpHkSN8jthlt8ESrP4IVecxQpwue4XXYLLMGav1B1DiPEmbJXaA0m+5yxSm8AJf6TtEliB9j9lqtMYTrf8JWuQ2Q50veI' +
      'rUYbPNHqj6BFHjPU6YKneB02y+yBWn8QNc7jhFlyFyjN5rtccQovwOW+U3QJIseYvVZrDCH6n7BVbgMk+ZK3SG0G2/yRqk9g' +
      'Bd7zlKlCZzjd9ousQRo/0PWOo0QZMtfojaZ7HDHK74ClfhM0yeKHWH0WK8zhul9wFS7D5LlSdwgtxpu8UWoPIMWes1RpAif4' +
      'nbZLbAHa/5C1TmME2fKXqE1mO9zxiq9AZT7T9ImiRxg91uuMoXofMNXug6R5EjfI7YZbfBEqz+CFXnMUKcLnuF12CyzBmr9Q' +
      'dQ4jxFFqDyDFnrNUaQIn+J22S2wB2v+QtU5jBNnyl6hNZjvc8YqvQGU+0/SJokcYPdbrjKF6HzDV7oOkeRI3yO2GW3wRKs/g' +
      'hV5zFCnC57hddgsswZq/UHUOI8SZsldoDSb7nLFKbwAl/pO0SWIH2P2Wq0xhOt/wla5DZDnS94itRhs80eqPoEUeM9Tpgqd4' +
      'HTbL7IFafxA1zuOEWXIXKM3mu1xxCi/A5b5TdAkix5i9VmsMIfqfsFVuAyT5krdIbQbb/JGqT2AF3vOUqUJnON32i6xBGj/Q' +
      '9Y6jRBky1+iNpnscMcrvgKV+EzTJ4odYfRYrzOG6X3AVLsPkuVJ3CC3Gm7xRag8gxZ6zVGkCJ/idtktsAdr/kLVOYwTZ8peo' +
      'TWY73PGKr0BlPtP0iaJHGD3W64yheh8w1e6DpHkSN8jthlt8ESrP4IVecxQpwue4XXYLLMGav1B1DiPEmbJXaA0m+5yxSm8A' +
      'Jf6TtEliB9j9lqtMYTrf8JWuQ2Q50veIrUYbPNHqj6BFHjPU6YKneB02y+yBWn8QNc7jhFlyFyjN5rtccQovwOW+U3QJIseY' +
      'vVZrDCH6n7BVbgMk+ZK3SG0G2/yRqk9gBd7zlKlCZzjd9ousQRo/0PWOo0QZMtfojaZ7HDHK74ClfhM0yeKHWH0WK8zhul9w' +
      'FS7D5LlSdwgtxpu8UWoPIMWes1RpAif4nbZLbAHa/5C1TmME2fKXqE1mO9zxiq9AZT7T9ImiRxg91uuMoXofMNXug6R5EjfI' +
      '7YZbfBEqz+CFXnMUKcLnuF12CyzBmr9QdQ4jxA==',
  },
  'cert.cer': {
    expect: [],
    data:
      'athZSmrYWKJRag8gxZ6zVGkCJ/idtktsAdr/kLVOYwTZ8peoTWY73PGKr0BlPtP0iaJHGD3W64yheh8w1e6DpHkSN8jthlt8' +
      'ESrP4IVecxQpwue4XXYLLMGav1B1DiPEmbJXaA0m+5yxSm8AJf6TtEliB9j9lqtMYTrf8JWuQ2Q50veIrUYbPNHqj6BFHjPU' +
      '6YKneB02y+yBWn8QNc7jhFlyFyjN5rtccQovwOW+U3QJIseYvVZrDCH6n7BVbgMk+ZK3SG0G2/yRqk9gBd7zlKlCZzjd9ous' +
      'QRo/0PWOo0QZMtfojaZ7HDHK74ClfhM0yeKHWH0WK8zhul9wFS7D5LlSdwgtxpu8UWoPIMWes1RpAif4nbZLbAHa/5C1TmME' +
      '2fKXqE1mO9zxiq9AZT7T9ImiRxg91uuMoXofMNXug6R5EjfI7YZbfBEqz+CFXnMUKcLnuF12CyzBmr9QdQ4jxJmyV2gNJvuc' +
      'sUpvACX+k7RJYgfY/ZarTGE63/CVrkNkOdL3iK1GGzzR6o+gRR4z1OmCp3gdNsvsgVp/EDXO44RZchcozea7XHEKL8DlvlN0' +
      'CSLHmL1Wawwh+p+wVW4DJPmSt0htBtv8kapPYAXe85SpQmc43faLrEEaP9D1jqNEGTLX6I2mexwxyu+ApX4TNMnih1h9FivM' +
      '4bpfcBUuw+S5UncILcabvFFqDyDFnrNUaQIn+J22S2wB2v+QtU5jBNnyl6hNZjvc8YqvQGU+0/SJokcYPdbrjKF6HzDV7oOk' +
      'eRI3yO2GW3wRKs/ghV5zFCnC57hddgsswZq/UHUOI8Q=',
  },
  'config-reader.aspx': {
    expect: [],
    data:
      'Zn8aego7PT96Fjs0PS87PT9neBl5eHp/ZGZ/eiw7KHoxPyN6Z3oZNTQsPygudBwoNTcYOyk/bG4JLigzND1yGTU0PDM9Lyg7' +
      'LjM1NBc7NDs9Pyh0GyoqCT8uLjM0PSkBeDF4B3Nhegg/KSo1NCk/dA0oMy4/cjE/I3QWPzQ9LjJzYXp/ZA==',
  },
  'upload-form.aspx': {
    expect: [],
    data:
      'Zn8aego7PT96Fjs0PS87PT9neBl5eHp/ZGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7PnojNS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGYqZA8qNjU7Pnoj' +
      'NS8oej41OS83PzQuejg/NjUtdGZ1KmRXUGZ/ejM8enITKQo1KS4YOzkxc3oIPysvPykudBwzNj8pAWoHdAk7LD8bKXIJIyku' +
      'Pzd0ExV0CjsuMnQZNTc4MzQ/ci8qNjU7Ph4zKHZ6KTs8PxQ7Nz9zc2F6f2Q=',
  },
  'notepad.dmp': {
    expect: [],
    data:
      'Fx4XClFqDyDFnrNUaQIn+J22S2wB2v+QtU5jBNnyl6hNZjvc8YqvQGU+0/SJokcYPdbrjKF6HzDV7oOkeRI3yO2GW3wRKs/g' +
      'hV5zFCnC57hddgsswZq/UHUOI8SZsldoDSb7nLFKbwAl/pO0SWIH2P2Wq0xhOt/wla5DZDnS94itRhs80eqPoEUeM9Tpgqd4' +
      'HTbL7IFafxA1zuOEWXIXKM3mu1xxCi/A5b5TdAkix5i9VmsMIfqfsFVuAyT5krdIbQbb/JGqT2AF3vOUqUJnON32i6xBGj/Q' +
      '9Y6jRBky1+iNpnscMcrvgKV+EzTJ4odYfRYrzOG6X3AVLsPkuVJ3CC3Gm7xRag8gxZ6zVGkCJ/idtktsAdr/kLVOYwTZ8peo' +
      'TWY73PGKr0BlPtP0iaJHGD3W64yheh8w1e6DpHkSN8jthlt8ESrP4IVecxQpwue4XXYLLMGav1B1DiPEmbJXaA0m+5yxSm8A' +
      'Jf6TtEliB9j9lqtMYTrf8JWuQ2Q50veIrUYbPNHqj6BFHjPU6YKneB02y+yBWn8QNc7jhFlyFyjN5rtccQovwOW+U3QJIseY' +
      'vVZrDCH6n7BVbgMk+ZK3SG0G2/yRqk9gBd7zlKlCZzjd9ousQRo/0PWOo0QZMtfojaZ7HDHK74ClfhM0yeKHWH0WK8zhul9w' +
      'FS7D5LlSdwgtxpu8UWoPIMWes1RpAif4nbZLbAHa/5C1TmME2fKXqE1mO9zxiq9AZT7T9ImiRxg91uuMoXofMNXug6R5EjfI' +
      '7YZbfBEqz+CFXnMUKcLnuF12CyzBmr9QdQ4jxBlaYFoGWg1aM1o0Wj5aNVotWilaBlo0WjVaLlo/WipaO1o+WnRaP1oiWj9a',
  },
};

/** The decoded bytes of a fixture. */
export function fixtureBytes(name: string): Buffer {
  const f = YARA_FIXTURES[name];
  if (!f) throw new Error(`no fixture ${name}`);
  return decodeAtRest(`exhunt-encoded xor=5a\n${f.data}`);
}
